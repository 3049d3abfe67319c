// Only a header: the prefetch hint is a static inline function.
