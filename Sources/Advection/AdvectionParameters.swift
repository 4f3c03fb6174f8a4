/// The study variables of a 2-D advection member: velocity-field and initial-condition parameters. A case file
/// declares their defaults under `parameters:`; `sluice solve --set name=value` overrides them; sample headers
/// carry the ones the case's flow and initial condition use. Lengths are in units of the domain (the unit square
/// by default), times in the same units divided by the velocity unit.
public struct AdvectionParameters: Codable, Sendable, Hashable {
    /// Translation velocity `(u0, v0)`; `(1, 1)` returns the field after `t = 1` on the unit square.
    public var velocityX = 1.0
    public var velocityY = 1.0
    /// Rotation rate `Omega` (counter-clockwise); `2 pi` gives one turn per unit time.
    public var angularVelocity = 2 * Double.pi
    /// Centre of rotation.
    public var rotationCentreX = 0.5
    public var rotationCentreY = 0.5
    /// Swirl period `T` of LeVeque's deformation flow: the field returns to its initial state at `t = T`.
    public var swirlPeriod = 1.5
    /// Centre, radius (cone, cosine hump, slotted cylinder), standard deviation (Gaussian) and amplitude of the
    /// initial condition.
    public var centreX = 0.5
    public var centreY = 0.75
    public var radius = 0.15
    public var width = 0.05
    public var amplitude = 1.0
    /// Width and length of the slot cut upward from the bottom of Zalesak's slotted cylinder.
    public var slotWidth = 0.05
    public var slotLength = 0.25

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func value(_ key: CodingKeys, _ fallback: Double) throws -> Double {
            try c.decodeIfPresent(Double.self, forKey: key) ?? fallback
        }
        velocityX = try value(.velocityX, velocityX)
        velocityY = try value(.velocityY, velocityY)
        angularVelocity = try value(.angularVelocity, angularVelocity)
        rotationCentreX = try value(.rotationCentreX, rotationCentreX)
        rotationCentreY = try value(.rotationCentreY, rotationCentreY)
        swirlPeriod = try value(.swirlPeriod, swirlPeriod)
        centreX = try value(.centreX, centreX)
        centreY = try value(.centreY, centreY)
        radius = try value(.radius, radius)
        width = try value(.width, width)
        amplitude = try value(.amplitude, amplitude)
        slotWidth = try value(.slotWidth, slotWidth)
        slotLength = try value(.slotLength, slotLength)
    }

    /// The parameters a member of `spec` uses, by case-file name.
    public func headerParameters(for spec: AdvectionCase) -> [(String, Double)] {
        var list: [(String, Double)]
        switch spec.flow {
        case .translation: list = [("velocity_x", velocityX), ("velocity_y", velocityY)]
        case .rotation:
            list = [("angular_velocity", angularVelocity), ("rotation_centre_x", rotationCentreX),
                    ("rotation_centre_y", rotationCentreY)]
        case .swirl: list = [("swirl_period", swirlPeriod)]
        }
        list += [("centre_x", centreX), ("centre_y", centreY), ("amplitude", amplitude)]
        switch spec.initialCondition {
        case .gaussian: list.append(("width", width))
        case .cosineHump, .cone: list.append(("radius", radius))
        case .slottedCylinder: list += [("radius", radius), ("slot_width", slotWidth), ("slot_length", slotLength)]
        }
        return list
    }
}
