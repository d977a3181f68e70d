"""What every stage shares: scene specs, parameters, qualities, settings, errors, paths, records."""
