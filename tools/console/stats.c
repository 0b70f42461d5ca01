// Stats: a row per (source, dest, type) of calls, sends and notifications, which replies
// add their latency and result to.
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"
#include "traceline.h"

struct row {
	unsigned source, dest;	// PIDs: a restarted server keeps its row
	int32_t type;
	uint64_t count, errors;
	uint64_t *latencies;	// ns, of the replies matched
	size_t latency_count, latency_room;
};

struct stats {
	struct row *rows;
	size_t row_count, row_room;
	uint64_t first_ns, last_ns;
	bool seen;
	uint64_t lost[XINIM_TRACE_CPUS_MAX];
	uint32_t cpus;		// CPUs seen, for the lost line
};

struct stats *stats_new(void)
{
	return calloc(1, sizeof(struct stats));
}

void stats_free(struct stats *stats)
{
	if (!stats)
		return;
	for (size_t i = 0; i < stats->row_count; i++)
		free(stats->rows[i].latencies);
	free(stats->rows);
	free(stats);
}

// Grows *items (of size bytes each, room of them) to hold one more; false if out of memory.
static bool make_room(void **items, size_t size, size_t count, size_t *room)
{
	if (count < *room)
		return true;
	size_t more = *room ? *room * 2 : 16;
	void *grown = realloc(*items, more * size);
	if (!grown)
		return false;
	*items = grown;
	*room = more;
	return true;
}

static struct row *row_of(struct stats *stats, xinim_endpoint_t source, xinim_endpoint_t dest,
			  int32_t type)
{
	unsigned s = xinim_endpoint_pid(source), d = xinim_endpoint_pid(dest);
	for (size_t i = 0; i < stats->row_count; i++) {
		struct row *r = &stats->rows[i];
		if (r->source == s && r->dest == d && r->type == type)
			return r;
	}
	if (!make_room((void **)&stats->rows, sizeof(*stats->rows), stats->row_count,
		       &stats->row_room))
		return NULL;
	struct row *r = &stats->rows[stats->row_count++];
	*r = (struct row){ .source = s, .dest = d, .type = type };
	return r;
}

static void add_latency(struct row *r, uint64_t ns)
{
	if (make_room((void **)&r->latencies, sizeof(*r->latencies), r->latency_count,
		      &r->latency_room))
		r->latencies[r->latency_count++] = ns;
}

void stats_add(struct stats *stats, const struct decoded *d)
{
	const struct xinim_trace_record *rec = d->record;
	if (!stats->seen)
		stats->first_ns = d->ns;
	stats->seen = true;
	stats->last_ns = d->ns;
	if (rec->cpu >= stats->cpus && rec->cpu < XINIM_TRACE_CPUS_MAX)
		stats->cpus = rec->cpu + 1u;
	if (rec->event == XINIM_TRACE_RECEIVE || rec->event == XINIM_TRACE_NAME ||
	    rec->event == XINIM_TRACE_RESTART)
		return;	// counted with their call, or no message at all
	bool is_reply = rec->event == XINIM_TRACE_REPLY;
	// A matched reply belongs to its call's row; an unmatched one to a row of its own.
	struct row *r = is_reply ? row_of(stats, d->to, d->from, d->type)
				 : row_of(stats, d->from, d->to, d->type);
	if (!r)
		return;
	if (!is_reply || !d->matched)
		r->count++;
	if (rec->verdict != XINIM_TRACE_OK || (is_reply && d->result < 0))
		r->errors++;
	if (is_reply && d->matched)
		add_latency(r, decoded_latency_ns(d));
}

void stats_lost(struct stats *stats, uint32_t cpu, uint64_t count)
{
	if (cpu >= XINIM_TRACE_CPUS_MAX)
		return;
	stats->lost[cpu] += count;
	if (cpu >= stats->cpus)
		stats->cpus = cpu + 1;
}

void stats_cpus(struct stats *stats, uint32_t cpus)
{
	if (cpus > stats->cpus)
		stats->cpus = cpus <= XINIM_TRACE_CPUS_MAX ? cpus : XINIM_TRACE_CPUS_MAX;
}

uint64_t percentile(const uint64_t *sorted, size_t n, unsigned p)
{
	if (!n)
		return 0;
	size_t rank = ((size_t)p * n + 99) / 100;	// the smallest covering p percent
	return sorted[rank ? rank - 1 : 0];
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

// Busiest first; ties in PID and type order, so that the output is stable.
static int by_count(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->source != y->source)
		return x->source < y->source ? -1 : 1;
	if (x->dest != y->dest)
		return x->dest < y->dest ? -1 : 1;
	return x->type < y->type ? -1 : x->type > y->type;
}

static void print_latency(FILE *out, const struct row *r, unsigned p)
{
	fputc(' ', out);
	if (!r->latency_count)
		fprintf(out, "%12s", "-");
	else
		write_us(out, p > 100 ? r->latencies[r->latency_count - 1]
				      : percentile(r->latencies, r->latency_count, p), 8);
}

static void print_row(FILE *out, const struct row *r, const struct names *names, double span_s)
{
	char source[NAME_SHOWN_MAX], dest[NAME_SHOWN_MAX], type[TYPE_SHOWN_MAX];
	// Names are by PID, so a PID stands for its endpoint (generation 0) here.
	fprintf(out, "%-16s %-16s %-20s %8" PRIu64 " %7" PRIu64,
		names_show(names, xinim_endpoint(r->source, 0), source),
		names_show(names, xinim_endpoint(r->dest, 0), dest), type_shown(r->type, type),
		r->count, r->errors);
	static const unsigned percentiles[] = { 50, 90, 99, 101 };	// 101: the maximum
	for (size_t i = 0; i < sizeof(percentiles) / sizeof(percentiles[0]); i++)
		print_latency(out, r, percentiles[i]);
	if (span_s > 0)
		fprintf(out, " %10.1f\n", (double)r->count / span_s);
	else
		fprintf(out, " %10s\n", "-");
}

void stats_print(struct stats *stats, FILE *out, const struct names *names)
{
	for (size_t i = 0; i < stats->row_count; i++)
		qsort(stats->rows[i].latencies, stats->rows[i].latency_count, sizeof(uint64_t),
		      by_value);
	qsort(stats->rows, stats->row_count, sizeof(*stats->rows), by_count);
	double span_s = (double)(stats->last_ns - stats->first_ns) / 1e9;
	fprintf(out, "%-16s %-16s %-20s %8s %7s %12s %12s %12s %12s %10s\n", "source", "dest",
		"type", "count", "errors", "p50_us", "p90_us", "p99_us", "max_us", "rate_per_s");
	for (size_t i = 0; i < stats->row_count; i++)
		print_row(out, &stats->rows[i], names, span_s);
	fprintf(out, "lost:");
	for (uint32_t cpu = 0; cpu < stats->cpus; cpu++)
		fprintf(out, " cpu%u=%" PRIu64, cpu, stats->lost[cpu]);
	fputc('\n', out);
}
