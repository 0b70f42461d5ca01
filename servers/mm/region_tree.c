// The AVL tree of region records (region_tree.h). Recursion is bounded by the height,
// under 1.45 log2(REGIONS_POOL) levels.
#include "region_tree.h"

#define NODE(i) (pool->r[i])
#define NODE_W(i) (*region_write(pool, i))	// before a write: logged (regions.h)

static uint32_t height(const struct region_pool *pool, uint32_t n)
{
	return n ? NODE(n).height : 0;
}

static int leaning(const struct region_pool *pool, uint32_t n)
{
	return (int)height(pool, NODE(n).left) - (int)height(pool, NODE(n).right);
}

static uint64_t max3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t ab = a > b ? a : b;
	return ab > c ? ab : c;
}

// Record n with its height, low, high and hole worked out from its children's.
static struct region summed(const struct region_pool *pool, uint32_t n)
{
	struct region r = NODE(n);
	uint32_t left = height(pool, r.left), right = height(pool, r.right);
	r.height = (left > right ? left : right) + 1;
	r.low = r.left ? NODE(r.left).low : r.start;
	r.high = r.right ? NODE(r.right).high : r.end;
	r.hole = max3(r.left ? max3(NODE(r.left).hole, r.start - NODE(r.left).high, 0) : 0,
		      r.right ? max3(NODE(r.right).hole, NODE(r.right).low - r.end, 0) : 0, 0);
	return r;
}

static void update(struct region_pool *pool, uint32_t n)
{
	NODE_W(n) = summed(pool, n);
}

static uint32_t rotate_right(struct region_pool *pool, uint32_t n)
{
	uint32_t top = NODE(n).left;
	NODE_W(n).left = NODE(top).right;
	NODE_W(top).right = n;
	update(pool, n);
	update(pool, top);
	return top;
}

static uint32_t rotate_left(struct region_pool *pool, uint32_t n)
{
	uint32_t top = NODE(n).right;
	NODE_W(n).right = NODE(top).left;
	NODE_W(top).left = n;
	update(pool, n);
	update(pool, top);
	return top;
}

// n's subtrees are balanced trees whose heights differ by at most 2: the balanced tree of
// n and them.
static uint32_t rebalance(struct region_pool *pool, uint32_t n)
{
	update(pool, n);
	int lean = leaning(pool, n);
	if (lean > 1) {
		if (leaning(pool, NODE(n).left) < 0)
			NODE_W(n).left = rotate_left(pool, NODE(n).left);
		return rotate_right(pool, n);
	}
	if (lean < -1) {
		if (leaning(pool, NODE(n).right) > 0)
			NODE_W(n).right = rotate_right(pool, NODE(n).right);
		return rotate_left(pool, n);
	}
	return n;
}

bool tree_node_sound(const struct region_pool *pool, uint32_t n)
{
	struct region now = summed(pool, n);
	int lean = leaning(pool, n);
	return now.height == NODE(n).height && now.low == NODE(n).low &&
	       now.high == NODE(n).high && now.hole == NODE(n).hole && lean >= -1 && lean <= 1;
}

uint32_t tree_insert(struct region_pool *pool, uint32_t root, uint32_t node)
{
	if (!root) {
		NODE_W(node).left = 0;
		NODE_W(node).right = 0;
		update(pool, node);
		return node;
	}
	if (NODE(node).start < NODE(root).start)
		NODE_W(root).left = tree_insert(pool, NODE(root).left, node);
	else
		NODE_W(root).right = tree_insert(pool, NODE(root).right, node);
	return rebalance(pool, root);
}

// Unlinks the leftmost record of the tree at root into *min.
static uint32_t take_min(struct region_pool *pool, uint32_t root, uint32_t *min)
{
	if (!NODE(root).left) {
		*min = root;
		return NODE(root).right;
	}
	NODE_W(root).left = take_min(pool, NODE(root).left, min);
	return rebalance(pool, root);
}

uint32_t tree_delete(struct region_pool *pool, uint32_t root, uint64_t start)
{
	if (!root)
		return 0;
	if (start < NODE(root).start) {
		NODE_W(root).left = tree_delete(pool, NODE(root).left, start);
	} else if (start > NODE(root).start) {
		NODE_W(root).right = tree_delete(pool, NODE(root).right, start);
	} else {
		uint32_t left = NODE(root).left, right = NODE(root).right, min;
		if (!right)
			return left;	// its subtree is unchanged
		right = take_min(pool, right, &min);
		NODE_W(min).left = left;
		NODE_W(min).right = right;
		return rebalance(pool, min);
	}
	return rebalance(pool, root);
}

uint32_t tree_floor(const struct region_pool *pool, uint32_t root, uint64_t key)
{
	uint32_t best = 0;
	while (root) {
		if (NODE(root).start <= key) {
			best = root;
			root = NODE(root).right;
		} else {
			root = NODE(root).left;
		}
	}
	return best;
}

uint32_t tree_ceil(const struct region_pool *pool, uint32_t root, uint64_t key)
{
	uint32_t best = 0;
	while (root) {
		if (NODE(root).start >= key) {
			best = root;
			root = NODE(root).left;
		} else {
			root = NODE(root).right;
		}
	}
	return best;
}
