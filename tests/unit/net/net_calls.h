#pragma once
// NET's calls as VFS makes them (include/xinim/ipc/net.h), for the hosted tests: the test
// thread is VFS (PID 2), NET serves in a thread of its own over the hosted kernel, and
// bytes move through grants the test makes on its own buffers.
#include <stddef.h>
#include <stdint.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/net.h>

struct net_state_kept;

// The group's: the hosted kernel anew, the test thread registered as VFS (it stays VFS
// while NET's instances come and go), and its end.
int net_group_setup(void **state);
int net_group_teardown(void **state);
// Starts NET on kept state (fresh or inherited, as keep.h says), the test thread as VFS.
void net_start(struct net_state_kept *kept, int start);
void net_stop(void);	// NET's instance ends (its lwIP memory stays: see keep.c)
xinim_endpoint_t net_endpoint(void);

// One call: its result; the answer's payload in *answer if not NULL.
long net_call(int32_t type, const void *payload, uint16_t length, struct xinim_net_answer *answer);

long net_open(int type);
long net_bind_to(uint32_t sock, uint32_t addr, uint16_t port);
long net_connect_to(uint32_t sock, uint32_t addr, uint16_t port);
long net_sock_call(int32_t type, uint32_t sock, int32_t arg, struct xinim_net_answer *answer);
// A send or receive of n bytes at buffer, through one grant; to: a UDP destination port
// on 127.0.0.1 (0: none).
long net_send_bytes(uint32_t sock, const void *buffer, size_t n, uint16_t to, uint32_t flags);
long net_receive_bytes(uint32_t sock, void *buffer, size_t n, uint32_t flags,
		       struct xinim_net_answer *answer);
long net_option_int(int32_t type, uint32_t sock, int level, int name, int *value);

// Fetches events until sock's readiness has all of bits (waiting for NET's notes): 1, or
// 0 if NET stops telling first. net_ready_now: the readiness last heard.
int net_wait_ready(uint32_t sock, uint32_t bits);
uint32_t net_ready_now(uint32_t sock);
