"""Report stage: result files (SPEC §5) and the console summary."""
