#include <kernel/ksyms.h>

const char *ksym_lookup(const struct ksym_table *table, uint64_t addr, uint64_t *offset)
{
	if (table->count == 0 || addr < table->addresses[0] || addr >= table->end)
		return NULL;
	size_t low = 0, high = table->count;	// addresses[low] <= addr < addresses[high]
	while (high - low > 1) {
		size_t mid = low + (high - low) / 2;
		if (table->addresses[mid] <= addr)
			low = mid;
		else
			high = mid;
	}
	*offset = addr - table->addresses[low];
	return table->names + table->name_offsets[low];
}
