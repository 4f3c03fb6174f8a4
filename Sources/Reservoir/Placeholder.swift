// Reservoir: see Reservoir.swift
