// The traffic simulator lives here.
