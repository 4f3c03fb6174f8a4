#ifndef CHDF5_SHIM_H
#define CHDF5_SHIM_H
#include <hdf5.h>
#include <zlib.h>

/* HDF5 exposes its native types, property-list classes and flags as macros that expand to
   function calls or casts; Swift cannot import those, so they are wrapped here. */
static inline hid_t chdf5_native_float(void)  { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t chdf5_native_int8(void)   { return H5T_NATIVE_INT8; }
static inline hid_t chdf5_native_uint8(void)  { return H5T_NATIVE_UINT8; }
static inline hid_t chdf5_native_int16(void)  { return H5T_NATIVE_INT16; }
static inline hid_t chdf5_native_int32(void)  { return H5T_NATIVE_INT32; }
static inline hid_t chdf5_native_uint32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t chdf5_native_int64(void)  { return H5T_NATIVE_INT64; }
static inline hid_t chdf5_native_uint64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t chdf5_native_hbool(void)  { return H5T_NATIVE_HBOOL; }
static inline hid_t chdf5_c_s1(void)          { return H5T_C_S1; }
static inline hid_t chdf5_std_i8le(void)      { return H5T_STD_I8LE; }
static inline hid_t chdf5_ieee_f32le(void)    { return H5T_IEEE_F32LE; }
static inline hid_t chdf5_ieee_f64le(void)    { return H5T_IEEE_F64LE; }
static inline hid_t chdf5_std_i32le(void)     { return H5T_STD_I32LE; }
static inline hid_t chdf5_std_i64le(void)     { return H5T_STD_I64LE; }
static inline hid_t chdf5_std_u8le(void)      { return H5T_STD_U8LE; }
static inline hid_t chdf5_std_i16le(void)     { return H5T_STD_I16LE; }
static inline hid_t chdf5_std_u16le(void)     { return H5T_STD_U16LE; }
static inline hid_t chdf5_std_u32le(void)     { return H5T_STD_U32LE; }
static inline hid_t chdf5_std_u64le(void)     { return H5T_STD_U64LE; }
static inline hid_t chdf5_native_uint16(void) { return H5T_NATIVE_UINT16; }

static inline hid_t chdf5_p_default(void)       { return H5P_DEFAULT; }
static inline hid_t chdf5_p_file_access(void)   { return H5P_FILE_ACCESS; }
static inline hid_t chdf5_p_file_create(void)   { return H5P_FILE_CREATE; }
static inline hid_t chdf5_p_dataset_create(void){ return H5P_DATASET_CREATE; }
static inline hid_t chdf5_p_dataset_xfer(void)  { return H5P_DATASET_XFER; }
static inline hid_t chdf5_p_link_create(void)   { return H5P_LINK_CREATE; }
static inline hid_t chdf5_p_attribute_create(void) { return H5P_ATTRIBUTE_CREATE; }
static inline hid_t chdf5_s_all(void)           { return H5S_ALL; }
static inline hid_t chdf5_e_default(void)       { return H5E_DEFAULT; }
static inline hid_t chdf5_fd_sec2(void)         { return H5FD_SEC2; }

static inline unsigned chdf5_f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned chdf5_f_acc_rdwr(void)   { return H5F_ACC_RDWR; }
static inline unsigned chdf5_f_acc_trunc(void)  { return H5F_ACC_TRUNC; }
static inline unsigned chdf5_f_acc_excl(void)   { return H5F_ACC_EXCL; }
static inline hsize_t chdf5_s_unlimited(void)   { return H5S_UNLIMITED; }
static inline size_t chdf5_t_variable(void)     { return H5T_VARIABLE; }

/* Frees the memory HDF5 allocated for variable-length data read into `buf` (strings read as char*).
   H5Dvlen_reclaim was renamed H5Treclaim in 1.12 (and the old name may be compiled out). */
static inline herr_t chdf5_reclaim_vlen(hid_t type_id, hid_t space_id, void *buf) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Treclaim(type_id, space_id, H5P_DEFAULT, buf);
#else
    return H5Dvlen_reclaim(type_id, space_id, H5P_DEFAULT, buf);
#endif
}
/* zlib's compress2, as HDF5's deflate filter (H5Z_FILTER_DEFLATE) runs it: a zlib stream (header, deflate data,
   Adler-32) at `level`. Used to compress chunks outside HDF5, on several threads, for H5Dwrite_chunk. zlib's own
   functions are thread-safe; HDF5 is not touched. Returns Z_OK, Z_BUF_ERROR (destination too small) or Z_STREAM_ERROR. */
static inline int chdf5_zlib_compress(unsigned char *dest, unsigned long *dest_len,
                                      const unsigned char *source, unsigned long source_len, int level) {
    uLongf length = *dest_len;
    int status = compress2(dest, &length, source, source_len, level);
    *dest_len = length;
    return status;
}
static inline unsigned long chdf5_zlib_bound(unsigned long source_len) { return compressBound(source_len); }
static inline int chdf5_zlib_uncompress(unsigned char *dest, unsigned long *dest_len,
                                        const unsigned char *source, unsigned long source_len) {
    uLongf length = *dest_len;
    int status = uncompress(dest, &length, source, source_len);
    *dest_len = length;
    return status;
}
#endif
