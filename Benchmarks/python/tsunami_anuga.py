"""ANUGA baseline for `sluice bench tsunami --anuga`: the same mesh, bed, initial surface, boundaries and gauges.

Reads the JSON the Swift bench writes (vertices, triangles, boundary edges with ANUGA edge numbers and tags,
per-vertex bed elevation and initial stage, gauges, end time, output interval), runs ANUGA's default flow algorithm
(DE0) on one process, and writes JSON: the stage of the cell holding each gauge at every output time, the wall time
of `evolve`, and the number of ANUGA time steps.

Usage: python tsunami_anuga.py INPUT.json OUTPUT.json
"""
import json
import sys
import time

import numpy as np

import anuga


def main(inp, out):
    with open(inp) as f:
        case = json.load(f)
    points = np.array(case["vertices"], dtype=float)
    triangles = np.array(case["triangles"], dtype=int)
    boundary = {(int(t), int(e)): tag for t, e, tag in case["boundary"]}
    domain = anuga.Domain(points, triangles, boundary=boundary)
    domain.set_name("sluice_tsunami_anuga")
    domain.set_store(False)
    domain.set_flow_algorithm(case.get("flow_algorithm", "DE0"))
    domain.set_minimum_allowed_height(case.get("dry_depth", 1e-3))
    domain.set_quantity("elevation", numeric=np.array(case["elevation"]), location="unique vertices")
    domain.set_quantity("stage", numeric=np.array(case["stage"]), location="unique vertices")
    domain.set_quantity("friction", case.get("manning", 0.0))
    reflective = anuga.Reflective_boundary(domain)
    # Sluice's open boundary is a characteristic radiation condition towards still water at sea level 0; ANUGA's
    # counterpart is Flather's condition with external stage 0 and zero velocity.
    radiating = anuga.Flather_external_stage_zero_velocity_boundary(domain, lambda t: 0.0)
    domain.set_boundary({"wall": reflective, "coast": reflective, "open": radiating})

    cells = [domain.get_triangle_containing_point(g) for g in case["gauges"]]
    stage = domain.get_quantity("stage")
    series = [[float(stage.centroid_values[k])] for k in cells]
    steps = 0
    start = time.perf_counter()
    for _ in domain.evolve(yieldstep=case["interval"], finaltime=case["end_time"]):
        if domain.get_time() > 0:
            steps += int(domain.number_of_steps)  # steps since the previous yield
            for i, k in enumerate(cells):
                series[i].append(float(stage.centroid_values[k]))
    seconds = time.perf_counter() - start
    with open(out, "w") as f:
        json.dump({"series": series, "seconds": seconds, "steps": steps, "cells": int(domain.get_number_of_triangles()),
                   "anuga_version": anuga.__version__, "flow_algorithm": domain.get_flow_algorithm(),
                   "timestepping": domain.get_timestepping_method(), "cfl": domain.get_cfl()}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
