// User page tables. A space the kernel builds from the boot archive only gains pages; a
// space MM manages also loses and changes them (each change leaves every CPU's TLB before
// its frame can be reused), and all are freed with it.
#include <errno.h>
#include <string.h>
#include <kernel/arch/aarch64/mmu.h>
#include <kernel/arch/aarch64/mmu_regs.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/frame.h>

#define ENTRIES 512
#define ASIDS (1 << 16)

static uint64_t asid_used[ASIDS / 64] = { 1 };	// ASID 0 is the kernel's (empty TTBR0)
static unsigned asid_next = 1;
static struct spinlock asid_lock;

static int asid_alloc(uint16_t *asid)
{
	int err = -ENOMEM;
	spin_lock(&asid_lock);
	for (unsigned n = 0; n < ASIDS; n++) {
		unsigned a = (asid_next + n) % ASIDS;
		if (!(asid_used[a / 64] >> (a % 64) & 1)) {
			asid_used[a / 64] |= 1UL << (a % 64);
			asid_next = a + 1;
			*asid = (uint16_t)a;
			err = 0;
			break;
		}
	}
	spin_unlock(&asid_lock);
	return err;
}

// The ASID's translations leave every CPU's TLB before it can be reused.
static void asid_free(uint16_t asid)
{
	dsb(ishst);
	__asm__ volatile("tlbi aside1is, %0" : : "r"((uint64_t)asid << 48) : "memory");
	dsb(ish);
	spin_lock(&asid_lock);
	asid_used[asid / 64] &= ~(1UL << (asid % 64));
	spin_unlock(&asid_lock);
}

static uint64_t *table_new(void)
{
	uint64_t frame = frame_alloc(&kernel_frames);
	if (frame == FRAME_NONE)
		return NULL;
	uint64_t *table = phys_to_virt(frame);
	memset(table, 0, PAGE_SIZE);
	return table;
}

int aspace_create(struct aspace *as)
{
	*as = (struct aspace){ 0 };
	if (asid_alloc(&as->asid) != 0)
		return -ENOMEM;
	if (!(as->root = table_new())) {
		asid_free(as->asid);
		return -ENOMEM;
	}
	return 0;
}

#define SCAN 8	// entries a table is scanned by: most of a table is empty

// Whether any of the SCAN entries from at is valid.
static bool any_valid(const uint64_t *at)
{
	uint64_t any = 0;
	for (unsigned i = 0; i < SCAN; i++)
		any |= at[i];
	return any & PTE_VALID;
}

static void table_free(uint64_t *table, unsigned level)
{
	for (unsigned i = 0; i < ENTRIES; i += SCAN) {
		if (!any_valid(&table[i]))
			continue;
		for (unsigned j = i; j < i + SCAN; j++) {
			uint64_t entry = table[j];
			if (!(entry & PTE_VALID))
				continue;
			if (level < 3)
				table_free(phys_to_virt(entry & PTE_ADDR_MASK), level + 1);
			else if (!(entry & PTE_KEPT))
				frame_put(&kernel_frames, entry & PTE_ADDR_MASK);
		}
	}
	frame_free(&kernel_frames, virt_to_phys(table));
}

void aspace_destroy(struct aspace *as)
{
	if (!as->root)
		return;
	table_free(as->root, 0);
	asid_free(as->asid);
	as->root = NULL;
}

static uint64_t page_attrs(unsigned prot)
{
	uint64_t attrs = PTE_VALID | PTE_TABLE | PTE_AF | PTE_SH_INNER | PTE_ATTR(MT_NORMAL) |
			 PTE_NG | PTE_PXN;
	if (prot)
		attrs |= PTE_AP_USER;	// no bit at all: EL0 may not touch it (PROT_NONE)
	if (!(prot & PROT_WRITE))
		attrs |= PTE_AP_RO;
	if (!(prot & PROT_EXEC))
		attrs |= PTE_UXN;
	if (prot & PROT_SHARED)
		attrs |= PTE_SHARED;
	return attrs;
}

static bool prot_valid(unsigned prot)
{
	return !(prot & ~(unsigned)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SHARED)) &&
	       !((prot & PROT_WRITE) && (prot & PROT_EXEC));
}

// The level-3 entry of va, making the tables above it; NULL when no frame is left.
static uint64_t *leaf_make(struct aspace *as, uint64_t va)
{
	uint64_t *table = as->root;
	for (unsigned level = 0; level < 3; level++) {
		uint64_t *entry = &table[(va >> (39 - 9 * level)) & (ENTRIES - 1)];
		if (!(*entry & PTE_VALID)) {
			uint64_t *next = table_new();
			if (!next)
				return NULL;
			*entry = virt_to_phys(next) | PTE_VALID | PTE_TABLE;
			as->tables++;
		}
		table = phys_to_virt(*entry & PTE_ADDR_MASK);
	}
	return &table[(va >> 12) & (ENTRIES - 1)];
}

// Maps a zeroed frame at the empty entry leaf; as->lock held.
static int leaf_fill(struct aspace *as, uint64_t *leaf, unsigned prot, void **page)
{
	uint64_t frame = frame_alloc(&kernel_frames);
	if (frame == FRAME_NONE)
		return -ENOMEM;
	*page = phys_to_virt(frame);
	memset(*page, 0, PAGE_SIZE);
	dsb(ishst);	// the page's contents before the entry that maps it
	*leaf = frame | page_attrs(prot);
	as->pages++;
	return 0;
}

int aspace_map_new(struct aspace *as, uint64_t va, unsigned prot, void **page)
{
	if ((va & (PAGE_SIZE - 1)) || va >= USER_LIMIT || !(prot & PROT_READ) || !prot_valid(prot))
		return -EINVAL;
	spin_lock(&as->lock);
	uint64_t *leaf = leaf_make(as, va);
	int err = !leaf ? -ENOMEM : (*leaf & PTE_VALID) ? -EEXIST : leaf_fill(as, leaf, prot, page);
	spin_unlock(&as->lock);
	return err;
}

static bool range_valid(uint64_t va, uint64_t length)
{
	return !(va & (PAGE_SIZE - 1)) && !(length & (PAGE_SIZE - 1)) && va < USER_LIMIT &&
	       length <= USER_LIMIT - va;
}

int aspace_map_range(struct aspace *as, uint64_t va, uint64_t length, unsigned prot)
{
	if (!range_valid(va, length) || !(prot & PROT_READ) || !prot_valid(prot))
		return -EINVAL;
	int err = 0;
	spin_lock(&as->lock);
	for (uint64_t end = va + length; va < end && !err; va += PAGE_SIZE) {
		uint64_t *leaf = leaf_make(as, va);
		void *page;
		err = !leaf ? -ENOMEM : (*leaf & PTE_VALID) ? 0 : leaf_fill(as, leaf, prot, &page);
	}
	spin_unlock(&as->lock);
	return err;
}

// The level-3 entry of va if its tables exist; otherwise NULL, and *skip_to gets the
// first address past the missing table.
static uint64_t *leaf_find(const struct aspace *as, uint64_t va, uint64_t *skip_to)
{
	uint64_t *table = as->root;
	for (unsigned level = 0; level < 3; level++) {
		unsigned shift = 39 - 9 * level;
		uint64_t entry = table[(va >> shift) & (ENTRIES - 1)];
		if (!(entry & PTE_VALID)) {
			*skip_to = ((va >> shift) + 1) << shift;
			return NULL;
		}
		table = phys_to_virt(entry & PTE_ADDR_MASK);
	}
	return &table[(va >> 12) & (ENTRIES - 1)];
}

// Maps the pages frames from pa on at va with the entry bits attrs (PTE_KEPT among them:
// the frames are not the space's), where nothing is mapped. 0, -EEXIST, -ENOMEM.
static int map_frames(struct aspace *as, uint64_t va, uint64_t pa, size_t pages, uint64_t attrs)
{
	uint64_t length = pages * PAGE_SIZE;
	int err = 0;
	spin_lock(&as->lock);
	for (uint64_t at = va; at < va + length && !err; at += PAGE_SIZE) {
		uint64_t skip_to;
		uint64_t *leaf = leaf_find(as, at, &skip_to);
		err = leaf && (*leaf & PTE_VALID) ? -EEXIST : 0;
	}
	for (size_t i = 0; i < pages && !err; i++) {
		uint64_t *leaf = leaf_make(as, va + i * PAGE_SIZE);
		if (leaf) {
			*leaf = (pa + i * PAGE_SIZE) | attrs;
			as->kept++;
		} else {
			err = -ENOMEM;	// the pages mapped so far stay: the space's end unmaps them
		}
	}
	spin_unlock(&as->lock);
	return err;
}

int aspace_map_kept(struct aspace *as, uint64_t va, uint64_t pa, size_t pages, unsigned prot)
{
	if (!range_valid(va, pages * PAGE_SIZE) || !pages || (pa & (PAGE_SIZE - 1)) ||
	    !(prot & PROT_READ) || !prot_valid(prot))
		return -EINVAL;
	return map_frames(as, va, pa, pages, PTE_KEPT | page_attrs(prot));
}

int aspace_map_device(struct aspace *as, uint64_t va, uint64_t pa, size_t pages)
{
	if (!range_valid(va, pages * PAGE_SIZE) || !pages || (pa & (PAGE_SIZE - 1)))
		return -EINVAL;
	const uint64_t device = PTE_VALID | PTE_TABLE | PTE_AF | PTE_ATTR(MT_DEVICE_nGnRE) |
				PTE_NG | PTE_PXN | PTE_UXN | PTE_AP_USER;
	return map_frames(as, va, pa, pages, PTE_KEPT | device);
}

// Replaces the valid entry *leaf for va, and waits until no CPU's TLB holds the old one.
static void leaf_replace(const struct aspace *as, uint64_t *leaf, uint64_t va, uint64_t entry)
{
	*leaf = entry;
	dsb(ishst);
	__asm__ volatile("tlbi vae1is, %0" : : "r"((uint64_t)as->asid << 48 | va >> 12) : "memory");
	dsb(ish);
}

// Unmaps (prot < 0) or reprotects every mapped page of [va, va + length); a space with
// none (a fork's child that MM empties first, in case an earlier try left pages) is not
// walked.
static int range_change(struct aspace *as, uint64_t va, uint64_t length, int prot)
{
	if (!range_valid(va, length) || (prot >= 0 && !prot_valid((unsigned)prot)))
		return -EINVAL;
	spin_lock(&as->lock);
	uint64_t end = as->pages || as->kept ? va + length : va;
	while (va < end) {
		uint64_t skip_to = va + PAGE_SIZE;
		uint64_t *leaf = leaf_find(as, va, &skip_to);
		if (leaf && (*leaf & PTE_VALID)) {
			uint64_t frame = *leaf & PTE_ADDR_MASK, kept = *leaf & PTE_KEPT;
			uint64_t software = *leaf & (PTE_KEPT | PTE_SHARED);
			unsigned now = (unsigned)prot;
			if (prot >= 0 && (now & PROT_WRITE) && !(*leaf & PTE_SHARED) &&
			    frame_shared(&kernel_frames, frame)) {
				now &= ~(unsigned)PROT_WRITE;	// copied at the first write
				software |= PTE_COPY_ON_WRITE;	// (aspace_copy_on_write)
			}
			leaf_replace(as, leaf, va, prot < 0 ? 0 : frame | software | page_attrs(now));
			if (prot < 0 && !kept) {
				frame_put(&kernel_frames, frame);
				as->pages--;
			} else if (prot < 0) {
				as->kept--;
			}
		}
		va = skip_to;
	}
	isb();
	spin_unlock(&as->lock);
	return 0;
}

// A private copy of the shared frame at *leaf for va, mapped with prot instead; as->lock
// held. The old frame loses a holder.
static int leaf_copy(struct aspace *as, uint64_t *leaf, uint64_t va, unsigned prot)
{
	uint64_t shared = *leaf & PTE_ADDR_MASK, copy = frame_alloc(&kernel_frames);
	if (copy == FRAME_NONE)
		return -ENOMEM;
	memcpy(phys_to_virt(copy), phys_to_virt(shared), PAGE_SIZE);
	dsb(ishst);	// the copy's contents before the entry that maps it
	leaf_replace(as, leaf, va, copy | page_attrs(prot));
	frame_put(&kernel_frames, shared);
	return 0;
}

// Makes the present page at leaf allow prot: a private copy first if prot allows writing
// and its frame is shared copy-on-write. 0 or -ENOMEM.
static int leaf_allow(struct aspace *as, uint64_t *leaf, uint64_t va, unsigned prot)
{
	if ((prot & PROT_WRITE) && !(*leaf & PTE_SHARED) &&
	    frame_shared(&kernel_frames, *leaf & PTE_ADDR_MASK))
		return leaf_copy(as, leaf, va, prot);
	leaf_replace(as, leaf, va, (*leaf & (PTE_ADDR_MASK | PTE_SHARED)) | page_attrs(prot));
	return 0;
}

int aspace_fault_in(struct aspace *as, uint64_t va, unsigned prot)
{
	if ((va & (PAGE_SIZE - 1)) || va >= USER_LIMIT || !(prot & PROT_READ) || !prot_valid(prot))
		return -EINVAL;
	spin_lock(&as->lock);
	uint64_t *leaf = leaf_make(as, va);
	void *page;
	int err = 0;
	if (!leaf)
		err = -ENOMEM;
	else if (!(*leaf & PTE_VALID))
		err = leaf_fill(as, leaf, prot, &page);
	else if (*leaf & PTE_KEPT)
		err = -EPERM;
	else
		err = leaf_allow(as, leaf, va, prot);
	isb();
	spin_unlock(&as->lock);
	return err;
}

// A write to the page at va that MM allowed already: the page is read-only only while
// its frame is shared (PTE_COPY_ON_WRITE). It is made writable, copied first if its
// frame is still shared, with no message to MM, as Linux breaks copy-on-write in its
// fault handler: after a fork the parent and the child each write a page or more at
// once, and each such fault would be a round trip to MM. 0; -ENOMEM; -EAGAIN for a page
// that is not such a page (MM decides).
int aspace_copy_on_write(struct aspace *as, uint64_t va)
{
	va &= ~(PAGE_SIZE - 1);
	if (va >= USER_LIMIT)
		return -EAGAIN;
	spin_lock(&as->lock);
	uint64_t skip_to, *leaf = leaf_find(as, va, &skip_to);
	const uint64_t copy_on_write = PTE_VALID | PTE_COPY_ON_WRITE;
	int err = -EAGAIN;
	if (leaf && (*leaf & copy_on_write) == copy_on_write)	// what it had (W^X: not executable)
		err = leaf_allow(as, leaf, va, PROT_READ | PROT_WRITE);
	isb();
	spin_unlock(&as->lock);
	return err;
}

// The present pages of [va, end) in from mapped at to_va on in to, where to has none:
// copy-on-write ones made read-only in both (writable ones marked PTE_COPY_ON_WRITE),
// PROT_SHARED ones as they are (a page to has already stays, as a share done again
// leaves it); both locks held (one if from is to). from's TLB entries are invalidated
// once, by the caller, not page by page: a write through one meanwhile is a write from
// before. Each level-3 table is walked entry by entry, its tables looked up once.
static int range_share(struct aspace *from, struct aspace *to, uint64_t va, uint64_t end,
		       uint64_t to_va)
{
	const uint64_t table_span = PAGE_SIZE * ENTRIES;	// what a level-3 table maps
	uint64_t *to_table = NULL, to_span = 1;	// to's level-3 table, of the span at to_span
	for (uint64_t start = va; va < end;) {
		uint64_t skip_to, *leaf = leaf_find(from, va, &skip_to);
		if (!leaf) {
			va = skip_to;
			continue;
		}
		uint64_t table_end = (va | (table_span - 1)) + 1;
		for (; va < end && va < table_end; va += PAGE_SIZE, leaf++) {
			if (!(*leaf & PTE_VALID))
				continue;
			if (*leaf & PTE_KEPT)
				return -EPERM;
			uint64_t at = to_va + (va - start);
			if ((at & ~(table_span - 1)) != to_span) {
				uint64_t *made = leaf_make(to, at);
				if (!made)
					return -ENOMEM;
				to_table = made - ((at >> 12) & (ENTRIES - 1));
				to_span = at & ~(table_span - 1);
			}
			uint64_t *there = &to_table[(at >> 12) & (ENTRIES - 1)];
			if (*there & PTE_VALID)
				continue;
			int err = frame_share(&kernel_frames, *leaf & PTE_ADDR_MASK);
			if (err)
				return err;
			uint64_t entry = *leaf & (PTE_SHARED | PTE_AP_RO) ? *leaf
					 : *leaf | PTE_AP_RO | PTE_COPY_ON_WRITE;
			*leaf = entry;
			*there = entry;
			to->pages++;
		}
	}
	return 0;
}

int aspace_share(struct aspace *from, struct aspace *to, uint64_t va, uint64_t length,
		 uint64_t to_va)
{
	if (!range_valid(va, length) || !range_valid(to_va, length) ||
	    (from == to && va < to_va + length && to_va < va + length))
		return -EINVAL;
	struct aspace *first = from < to ? from : to, *second = from < to ? to : from;
	spin_lock(&first->lock);
	if (second != first)
		spin_lock(&second->lock);
	int err = range_share(from, to, va, va + length, to_va);
	dsb(ishst);
	__asm__ volatile("tlbi aside1is, %0" : : "r"((uint64_t)from->asid << 48) : "memory");
	dsb(ish);
	isb();
	if (second != first)
		spin_unlock(&second->lock);
	spin_unlock(&first->lock);
	return err;
}

void aspace_present(struct aspace *as, uint64_t va, size_t pages, uint8_t *present)
{
	spin_lock(&as->lock);
	for (size_t i = 0; i < pages; i++) {
		uint64_t skip_to;
		uint64_t *leaf = leaf_find(as, va + i * PAGE_SIZE, &skip_to);
		present[i] = leaf && (*leaf & PTE_VALID);
	}
	spin_unlock(&as->lock);
}

static bool table_empty(const uint64_t *table)
{
	for (unsigned i = 0; i < ENTRIES; i += SCAN)
		if (any_valid(&table[i]))
			return false;
	return true;
}

// Frees the tables below table (a table of level) that hold nothing in [va, end) any
// more, as Linux frees page tables with the mapping: a program that maps and unmaps gets
// all of its memory back. No CPU may still walk a table when its frame goes: its entry
// is cleared and the ASID's TLB and walk-cache entries invalidated first. as->lock held.
static void tables_prune(struct aspace *as, uint64_t *table, unsigned level, uint64_t va,
			 uint64_t end)
{
	unsigned shift = 39 - 9 * level;
	for (uint64_t at = va; at < end;) {
		uint64_t next = ((at >> shift) + 1) << shift;
		uint64_t *entry = &table[(at >> shift) & (ENTRIES - 1)];
		if (*entry & PTE_VALID) {
			uint64_t *child = phys_to_virt(*entry & PTE_ADDR_MASK);
			if (level + 1 < 3)
				tables_prune(as, child, level + 1, at, next < end ? next : end);
			if (table_empty(child)) {
				*entry = 0;
				dsb(ishst);
				__asm__ volatile("tlbi aside1is, %0" : : "r"((uint64_t)as->asid << 48)
						 : "memory");
				dsb(ish);
				frame_free(&kernel_frames, virt_to_phys(child));
				as->tables--;
			}
		}
		at = next;
	}
}

int aspace_unmap(struct aspace *as, uint64_t va, uint64_t length)
{
	int err = range_change(as, va, length, -1);
	if (!err && length) {
		spin_lock(&as->lock);
		if (as->tables)
			tables_prune(as, as->root, 0, va, va + length);
		spin_unlock(&as->lock);
	}
	return err;
}

int aspace_protect(struct aspace *as, uint64_t va, uint64_t length, unsigned prot)
{
	return prot > 7 ? -EINVAL : range_change(as, va, length, (int)prot);
}

void aspace_activate(const struct aspace *as)
{
	uint64_t root = as ? virt_to_phys(as->root) | (uint64_t)as->asid << 48
			   : virt_to_phys(empty_table_address());
	sysreg_write(ttbr0_el1, root);
	isb();
}

// Bytes from va to the end of its page.
static size_t page_left(uint64_t va) { return PAGE_SIZE - (va & (PAGE_SIZE - 1)); }

// The kernel address of user address va, if an EL0 access of that kind is allowed.
static void *user_address(uint64_t va, bool write)
{
	if (va >= USER_LIMIT)
		return NULL;
	if (write)
		__asm__ volatile("at s1e0w, %0" : : "r"(va));
	else
		__asm__ volatile("at s1e0r, %0" : : "r"(va));
	isb();
	uint64_t par = sysreg_read(par_el1);
	// Device memory (a driver's registers: PAR's attributes, MAIR's encoding, have a
	// zero upper nibble) has no kernel address: the kernel never copies to or from it.
	if ((par & 1) || !(par >> 60))
		return NULL;
	return phys_to_virt((par & PTE_ADDR_MASK) | (va & (PAGE_SIZE - 1)));
}

void *user_buffer(uint64_t va, size_t n, bool write)
{
	bool one_page = n && n <= page_left(va);
	return one_page ? user_address(va, write) : NULL;
}

// The kernel address of user address va in as (which need not be the running space:
// the MMU walks as's tables for a moment, under its ASID), if EL0 may access it so.
static void *aspace_address(const struct aspace *as, uint64_t va, bool write)
{
	uint64_t running = sysreg_read(ttbr0_el1);
	aspace_activate(as);
	void *address = user_address(va, write);
	sysreg_write(ttbr0_el1, running);
	isb();
	return address;
}

static uint32_t op_set(uint32_t was, uint32_t arg) { (void)was; return arg; }
static uint32_t op_add(uint32_t was, uint32_t arg) { return was + arg; }
static uint32_t op_or(uint32_t was, uint32_t arg) { return was | arg; }
static uint32_t op_andn(uint32_t was, uint32_t arg) { return was & ~arg; }
static uint32_t op_xor(uint32_t was, uint32_t arg) { return was ^ arg; }

int aspace_atomic(struct aspace *as, uint64_t va, enum aspace_atomic_op op, uint32_t arg,
		  uint32_t *old)
{
	if (va & 3)
		return -EINVAL;
	static uint32_t (*const apply[])(uint32_t was, uint32_t arg) = {
		[ASPACE_ATOMIC_SET] = op_set, [ASPACE_ATOMIC_ADD] = op_add, [ASPACE_ATOMIC_OR] = op_or,
		[ASPACE_ATOMIC_ANDN] = op_andn, [ASPACE_ATOMIC_XOR] = op_xor,
	};
	if ((unsigned)op >= sizeof(apply) / sizeof(apply[0]))
		return -EINVAL;
	spin_lock(&as->lock);	// the page stays mapped while the word changes
	uint32_t *word = aspace_address(as, va, true);
	if (word) {
		uint32_t was = __atomic_load_n(word, __ATOMIC_RELAXED), now;
		do {
			now = apply[op](was, arg);
		} while (!__atomic_compare_exchange_n(word, &was, now, true, __ATOMIC_SEQ_CST,
						      __ATOMIC_RELAXED));
		*old = was;
	}
	spin_unlock(&as->lock);
	return word ? 0 : -EFAULT;
}

int copy_between(const struct aspace *to, uint64_t dst, const struct aspace *from, uint64_t src,
		 size_t n, size_t *done)
{
	size_t copied = 0;
	if (!done)
		done = &copied;
	*done = 0;
	while (n) {
		size_t chunk = page_left(dst) < page_left(src) ? page_left(dst) : page_left(src);
		chunk = chunk < n ? chunk : n;
		void *d = aspace_address(to, dst, true), *s = aspace_address(from, src, false);
		if (!d || !s)
			return -EFAULT;
		memcpy(d, s, chunk);
		dst += chunk;
		src += chunk;
		n -= chunk;
		*done += chunk;
	}
	return 0;
}

// Copies n bytes between kernel memory and user address user, a page at a time; the
// user pages must be writable by EL0 when writable is set.
static int copy_user(void *kernel, uint64_t user, size_t n, bool to_user, bool writable)
{
	char *k = kernel;
	while (n) {
		size_t chunk = page_left(user) < n ? page_left(user) : n;
		char *u = user_address(user, writable);
		if (!u)
			return -EFAULT;
		memcpy(to_user ? u : k, to_user ? k : u, chunk);
		k += chunk;
		user += chunk;
		n -= chunk;
	}
	return 0;
}

int copy_from_user(void *dst, uint64_t src, size_t n)
{
	return copy_user(dst, src, n, false, false);
}

int copy_from_user_writable(void *dst, uint64_t src, size_t n)
{
	return copy_user(dst, src, n, false, true);
}

int copy_to_user(uint64_t dst, const void *src, size_t n)
{
	return copy_user((void *)src, dst, n, true, true);
}

bool user_writable(uint64_t dst, size_t n)
{
	if (n == 0)
		return true;
	uint64_t last = dst + n - 1;
	if (last < dst)
		return false;
	for (uint64_t page = dst & ~(PAGE_SIZE - 1); page <= last; page += PAGE_SIZE)
		if (!user_address(page < dst ? dst : page, true))
			return false;
	return true;
}
