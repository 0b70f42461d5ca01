#pragma once
// System V semaphores (sem.c) and message queues (msg.c), in PM's kept state
// (docs/processes.md, System V semaphores and message queues): pointer-free records,
// indices for links, message bytes in a bounded pool of blocks. sysv.c holds what both
// share: ids, keys, ipcperms, and the calls parked in a thread's record.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xinim/ipc/endpoints.h>

// Limits (Linux's names; smaller than Linux 6.1's, which are sized for a big machine).
#define SEM_SETS 64		// SEMMNI
#define SEM_PER_SET 250		// SEMMSL
#define SEM_VALUES 2048		// SEMMNS: the semaphores of all sets together
#define SEM_OPS 500		// SEMOPM: operations of one semop
#define SEM_VMX 32767	// SEMVMX, and SEMAEM for an undo adjustment
#define SEM_UNDOS 1024		// SEM_UNDO adjustments of all processes together
#define MSG_QUEUES 32		// MSGMNI
#define MSG_SIZE_MAX 8192	// MSGMAX
#define MSG_QUEUE_BYTES 16384	// MSGMNB: a new queue's msg_qbytes
#define MSG_BLOCK 128		// message bytes are kept in blocks of this size
#define MSG_BLOCKS 2048		// 256 KiB of messages in all
#define MSG_RECORDS 1024	// messages in all queues together
#define SYSV_SEQ_MAX 0xffffu	// struct ipc64_perm's seq is 16 bits
#define MSG_END 0xffffu		// block_next: the message's last block

// What sets and queues share (Linux's struct kern_ipc_perm).
struct sysv_perm {
	uint32_t used;		// 0: the record is free
	uint32_t seq;		// its id is seq * (records of its kind) + its index
	int32_t key;		// IPC_PRIVATE (0) for none
	uint32_t mode;		// the permission bits
	uint32_t uid, gid, cuid, cgid;
};

struct sem_set {
	struct sysv_perm perm;
	uint32_t nsems;		// its semaphores are values[base .. base + nsems)
	uint32_t base;
	int64_t otime, ctime;	// seconds since boot
};
struct sem_value {
	int32_t value;		// semval
	uint32_t pid;		// sempid: of the last operation on it
};
// A process's SEM_UNDO adjustment of one semaphore, applied at its end.
struct sem_undo {
	xinim_endpoint_t owner;	// 0: the record is free
	uint16_t set, num;	// the set's index, the semaphore's number in it
	int32_t adj;		// semadj
	uint32_t seq;		// the set's seq when it was made
};

struct msg_queue {
	struct sysv_perm perm;
	uint16_t first, last;	// messages' indices + 1, 0: none (oldest first)
	uint32_t qnum;
	uint64_t cbytes, qbytes;
	uint32_t lspid, lrpid;
	int64_t stime, rtime, ctime;
};
struct msg_record {
	uint16_t queue;		// its queue's index + 1; 0: the record is free
	uint16_t next;		// the queue's next message's index + 1; 0: none
	uint16_t block;		// its first block's index + 1; 0: none (an empty text)
	uint16_t reserved;
	uint32_t size;		// its text's bytes
	uint32_t reserved2;
	int64_t type;		// mtype, at least 1
};

struct sysv_state {
	uint32_t parked;	// threads parked in a System V call, or more (sysv_retry)
	uint32_t reserved;
	struct sem_set sets[SEM_SETS];
	struct sem_value values[SEM_VALUES];
	struct sem_undo undos[SEM_UNDOS];
	struct msg_queue queues[MSG_QUEUES];
	struct msg_record messages[MSG_RECORDS];
	uint16_t block_next[MSG_BLOCKS];	// next block's index + 1, MSG_END; 0: free
	uint8_t blocks[MSG_BLOCKS][MSG_BLOCK];
};
extern struct sysv_state *sysv;	// in PM's kept state (process.c)

// A System V call parked in its thread's record (struct thread's sysv): retried at every
// change of a set or queue until it is done, its object removed (-EIDRM), a signal
// (-EINTR) or its timeout (semtimedop: -EAGAIN).
enum sysv_kind { SYSV_SEMOP, SYSV_MSGSND, SYSV_MSGRCV, SYSV_KINDS };
struct sysv_wait {
	uint64_t id;		// the call's message id; 0: none
	uint64_t at;		// semop: its sembuf array; msgsnd, msgrcv: msgp
	uint64_t size;		// semop: nsops; msgsnd, msgrcv: msgsz
	int64_t type;		// msgrcv's msgtyp
	int32_t object;		// the semid or msqid
	int32_t flags;		// msgflg
	uint16_t kind;		// enum sysv_kind
	uint16_t num;		// semop: the semaphore it waits on (GETNCNT, GETZCNT)
	uint8_t zero;		// semop: it waits for num to be 0 (else to grow)
	uint8_t reserved[3];
};
#define SYSV_BLOCKED (-0x10001L)	// a try that must wait

struct thread;
struct process;
struct ipc_request;
// sysv.c: ids, keys and permissions. sysv_caller_allows is Linux's ipcperms for the
// process at caller (its effective uid, fs gid and groups; root passes); want: mode
// bits, e.g. 0444 to read. sysv_owns: IPC_SET's and IPC_RMID's owner check.
bool sysv_caller_allows(xinim_endpoint_t caller, const struct sysv_perm *perm, unsigned want);
bool sysv_owns(xinim_endpoint_t caller, const struct sysv_perm *perm);
// Privilege (CAP_IPC_OWNER, CAP_SYS_ADMIN, CAP_SYS_RESOURCE): euid 0, or a boot program.
bool sysv_privileged(xinim_endpoint_t caller);
// The record of an id among count records of size bytes (their sysv_perm first), or NULL.
void *sysv_record(void *records, unsigned count, size_t size, long id);
long sysv_id(const struct sysv_perm *perm, unsigned index, unsigned count);
// The record a ctl command names: by its id (IPC_STAT...), by its index (SEM_STAT,
// MSG_STAT), or none (IPC_INFO...: NULL); NULL if no such record is used.
// A semctl or msgctl as its command's handler sees it; sysv_copy_out copies n bytes to
// its arg: value, or -EFAULT.
struct sysv_ctl {
	xinim_endpoint_t caller;
	int num;		// semctl's semnum
	uint64_t arg;		// semctl's union semun (a value or an address), msgctl's buf
};
// What a ctl command names, and the permission it needs first (want: mode bits; 0 for
// none, or a check of the handler's own).
enum sysv_named { SYSV_BY_ID, SYSV_BY_INDEX, SYSV_BY_NONE };
struct sysv_naming {
	enum sysv_named by;	// its id (IPC_STAT...), its index (SEM_STAT...), none (IPC_INFO)
	unsigned want;
};
// The record a ctl command names (NULL for none) in *record: 0, or -EINVAL (a negative
// id, no record where one is named), -EACCES.
long sysv_named(void *records, unsigned count, size_t size, int id, const struct sysv_ctl *c,
		struct sysv_naming naming, void **record);
long sysv_copy_out(const struct sysv_ctl *c, const void *out, size_t n, long value);
// The record in use of key (none for IPC_PRIVATE), or NULL.
void *sysv_keyed(void *records, unsigned count, size_t size, int32_t key);
// The highest index of a record in use (IPC_INFO's answer), 0 if none is.
long sysv_highest(const void *records, unsigned count, size_t size);
// A new record's perm: used, next seq, key, the mode bits of flags, the caller's ids.
void sysv_perm_make(struct sysv_perm *perm, xinim_endpoint_t caller, int32_t key, int flags);
// Linux's struct ipc64_perm of perm (the first 48 bytes of every *id64_ds).
struct linux_ipc64_perm {
	int32_t key;
	uint32_t uid, gid, cuid, cgid, mode;
	uint16_t seq, pad;
	uint64_t unused1, unused2;
};
_Static_assert(sizeof(struct linux_ipc64_perm) == 48, "ipc64_perm as arm64 Linux's");
// Linux's struct semid64_ds on arm64 (asm-generic/sembuf.h) and struct seminfo.
struct linux_semid64_ds {
	struct linux_ipc64_perm perm;
	int64_t otime, ctime;
	uint64_t nsems, unused3, unused4;
};
_Static_assert(sizeof(struct linux_semid64_ds) == 88, "semid64_ds as arm64 Linux's");
struct linux_seminfo {
	int32_t semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem;
};

// Linux's struct msqid64_ds on arm64 (asm-generic/msgbuf.h) and struct msginfo.
struct linux_msqid64_ds {
	struct linux_ipc64_perm perm;
	int64_t stime, rtime, ctime;
	uint64_t cbytes, qnum, qbytes;
	int32_t lspid, lrpid;
	uint64_t unused4, unused5;
};
_Static_assert(sizeof(struct linux_msqid64_ds) == 120, "msqid64_ds as arm64 Linux's");
struct linux_msginfo {
	int32_t msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
	uint16_t msgseg;
};

struct linux_ipc64_perm sysv_perm_out(const struct sysv_perm *perm);
// IPC_SET's change of perm (owner checked by the caller), and whether perm is sound.
void sysv_perm_set(struct sysv_perm *perm, const struct linux_ipc64_perm *in);
bool sysv_perm_sound(const struct sysv_perm *perm);
int64_t sysv_now(void);	// seconds since boot
// A semop, msgsnd or msgrcv (w: its arguments) tried; parked in the caller's thread if
// it must wait (deadline: semtimedop's, counter ticks; 0 for none), others tried again
// if it changed something.
long sysv_call(const struct ipc_request *request, struct sysv_wait *w, uint64_t deadline);
// Something changed: every parked call tried again until none can go on.
void sysv_retry(void);
// The object (kind's class: semaphores or messages) at id is gone: its waiters -EIDRM.
void sysv_removed(enum sysv_kind kind, long id);
// A signal's handler is to run: t's parked call answered -EINTR (never restarted).
void sysv_interrupt(struct thread *t);
// sem.c, msg.c: a parked call tried again (its thread's process is caller): its answer,
// or SYSV_BLOCKED (w's num and zero updated).
long sem_try(xinim_endpoint_t caller, struct sysv_wait *w);
long msg_send_try(xinim_endpoint_t caller, struct sysv_wait *w);
long msg_receive_try(xinim_endpoint_t caller, struct sysv_wait *w);
// who has ended: its SEM_UNDO adjustments applied (sem.c).
void sem_exit(xinim_endpoint_t who);
// Take-over: whether a thread's parked call is one sysv_call could have parked (its
// sizes within the limits its try relies on).
bool sysv_wait_sound(const struct sysv_wait *w);
// Take-over: records that do not check out dropped (sem.c, msg.c); how many.
unsigned sem_check(void);
unsigned msg_check(void);
unsigned sysv_check(void);	// both, and the count of parked calls made again
