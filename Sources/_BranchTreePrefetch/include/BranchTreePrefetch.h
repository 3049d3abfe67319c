#ifndef BRANCHTREE_PREFETCH_H
#define BRANCHTREE_PREFETCH_H

/// Asks the processor to start loading the cache line at `address`: a hint, never a
/// fault, whatever the address.
static inline void _branchtree_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
