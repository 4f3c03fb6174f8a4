/// The study variables of a 2-D Navier-Stokes member: what a study may vary from member to member. A case file
/// declares their defaults under `parameters:`; `sluice solve --set name=value` overrides them; every sample
/// header carries the ones the case uses (``headerParameters(for:)``).
///
/// Units are those of the case's non-dimensionalisation (solvers/ns2d/README.md): lengths in units of the domain
/// length scale, time in the matching advective unit.
public struct NS2DParameters: Codable, Sendable, Hashable {
    /// Kinematic viscosity `nu` (FNO: 1e-3, 1e-4, 1e-5; jax-cfd Kolmogorov: 1e-3). Must be >= 0.
    public var viscosity = 1e-3
    /// Linear drag coefficient `mu` in `-mu omega` (jax-cfd Kolmogorov: 0.1). Must be >= 0.
    public var drag = 0.0
    /// Forcing amplitude (FNO: 0.1; Kolmogorov: 1).
    public var forcingAmplitude = 0.1
    /// Kolmogorov forcing wavenumber in units of `2 pi / L` (jax-cfd: 4).
    public var forcingWavenumber = 4.0
    /// Seed of the Gaussian random field initial condition. Member K uses `seed + K` unless `--set seed=` is given.
    public var seed: UInt64 = 0
    /// GRF smoothness exponent `alpha` (FNO: 2.5).
    public var grfAlpha = 2.5
    /// GRF inverse length scale `tau` (FNO: 7).
    public var grfTau = 7.0
    /// GRF amplitude `sigma`; 0 selects FNO's `tau^(alpha - d/2)`.
    public var grfSigma = 0.0
    /// Amplitude of the `taylor-green` and `single-mode` initial vorticity.
    public var amplitude = 1.0
    /// Wavenumber of the `taylor-green` and `single-mode` initial vorticity, in units of `2 pi / L`.
    public var wavenumber = 1.0
    /// Phase (radians) of the `single-mode` initial vorticity.
    public var phase = 0.0

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        viscosity = try c.decodeIfPresent(Double.self, forKey: .viscosity) ?? viscosity
        drag = try c.decodeIfPresent(Double.self, forKey: .drag) ?? drag
        forcingAmplitude = try c.decodeIfPresent(Double.self, forKey: .forcingAmplitude) ?? forcingAmplitude
        forcingWavenumber = try c.decodeIfPresent(Double.self, forKey: .forcingWavenumber) ?? forcingWavenumber
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        grfAlpha = try c.decodeIfPresent(Double.self, forKey: .grfAlpha) ?? grfAlpha
        grfTau = try c.decodeIfPresent(Double.self, forKey: .grfTau) ?? grfTau
        grfSigma = try c.decodeIfPresent(Double.self, forKey: .grfSigma) ?? grfSigma
        amplitude = try c.decodeIfPresent(Double.self, forKey: .amplitude) ?? amplitude
        wavenumber = try c.decodeIfPresent(Double.self, forKey: .wavenumber) ?? wavenumber
        phase = try c.decodeIfPresent(Double.self, forKey: .phase) ?? phase
    }

    /// The parameters a member of `spec` actually uses, by their case-file names, for sample headers.
    public func headerParameters(for spec: NS2DCase) -> [(String, Double)] {
        var list: [(String, Double)] = [("viscosity", viscosity), ("drag", drag)]
        switch spec.forcing {
        case .fno: list.append(("forcing_amplitude", forcingAmplitude))
        case .kolmogorov:
            list.append(("forcing_amplitude", forcingAmplitude))
            list.append(("forcing_wavenumber", forcingWavenumber))
        case .none: break
        }
        switch spec.initialCondition.kind {
        case .grf:
            list += [("seed", Double(seed)), ("grf_alpha", grfAlpha), ("grf_tau", grfTau), ("grf_sigma", grfSigma)]
        case .taylorGreen: list += [("amplitude", amplitude), ("wavenumber", wavenumber)]
        case .singleMode: list += [("amplitude", amplitude), ("wavenumber", wavenumber), ("phase", phase)]
        case .file: break
        }
        return list
    }
}
