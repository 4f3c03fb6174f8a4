import Testing
@testable import Reservoir
