// Forced on every source of lwip_user (servers/net/lwip/CMakeLists.txt): lwIP's
// zero-initialized globals, all of its state, go into section .net_kept, which NET's
// kept memory maps (servers/net/kept.ld; docs/net.md, What a restart keeps). Its three
// initialized ones (the next local ports, the next initial sequence number) stay in
// .data, started again by each instance.
#pragma clang section bss=".net_kept"
