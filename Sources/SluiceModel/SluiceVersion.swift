/// The version of Sluice and of its wire protocol.
public enum SluiceVersion {
    /// Semantic version of this Sluice build.
    public static let string = "0.1.0"
}
