// Record names.
