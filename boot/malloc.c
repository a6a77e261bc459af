/*
 * The malloc family that QuickJS lives on: boundary-tagged chunks, free lists
 * binned by size, coalescing on free, and a "top" chunk carved as the heap
 * grows. Freed memory really returns to the pool, and usage is visible
 * (heap_used_bytes) for the shell's `mem`.
 *
 * A chunk: [prev_size][head = size | flags][payload...]. prev_size is valid
 * only when the previous chunk is free (PINUSE clear). Free chunks keep their
 * list links in the payload.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "mem.h"
#include "quickjs.h"

#define CINUSE 1u
#define PINUSE 2u
#define FLAGS 3u
#define HEADER 8u
#define MIN_CHUNK 16u

struct chunk {
    size_t prev_size;
    size_t head;
    struct chunk *fd, *bk; /* only while free */
};

#define NBINS 160
static struct chunk *bins[NBINS];
static uint32_t bin_map[(NBINS + 31) / 32];
/* Bit w set when bin_map[w] has any bit set: the search for a larger bin
 * skips empty words at once (most allocations at boot find none and carve
 * from the top). */
static uint32_t bin_map_words;
static struct chunk *top;
static size_t heap_total, heap_used;

static inline size_t chunk_size(struct chunk *c) { return c->head & ~FLAGS; }
static inline struct chunk *chunk_at(void *p, size_t offset) { return (struct chunk *)((char *)p + offset); }
static inline struct chunk *next_chunk(struct chunk *c) { return chunk_at(c, chunk_size(c)); }
static inline void *payload(struct chunk *c) { return (char *)c + HEADER; }
static inline struct chunk *chunk_of(void *p) { return (struct chunk *)((char *)p - HEADER); }
/* The bytes an allocation may use: its chunk, less the header. */
static inline size_t usable_size(void *p) { return chunk_size(chunk_of(p)) - HEADER; }

/* Exact bins of 8 bytes below 512, then four bins per power of two. */
static int bin_index(size_t size) {
    if (size < 512) return (int)(size >> 3);
    int log2 = 31 - __builtin_clz((unsigned)size);
    return 64 + (log2 - 9) * 4 + (int)((size >> (log2 - 2)) & 3);
}

static void bin_insert(struct chunk *c) {
    int i = bin_index(chunk_size(c));
    c->bk = NULL;
    c->fd = bins[i];
    if (bins[i]) bins[i]->bk = c;
    bins[i] = c;
    bin_map[i >> 5] |= 1u << (i & 31);
    bin_map_words |= 1u << (i >> 5);
}

static void bin_unlink(struct chunk *c) {
    int i = bin_index(chunk_size(c));
    if (c->bk) c->bk->fd = c->fd;
    else bins[i] = c->fd;
    if (c->fd) c->fd->bk = c->bk;
    if (!bins[i]) {
        bin_map[i >> 5] &= ~(1u << (i & 31));
        if (!bin_map[i >> 5]) bin_map_words &= ~(1u << (i >> 5));
    }
}

static int next_nonempty_bin(int from) {
    if (from >= NBINS) return -1;
    int w = from >> 5;
    uint32_t word = bin_map[w] >> (from & 31);
    if (word) return from + __builtin_ctz(word);
    uint32_t later = w + 1 < 32 ? bin_map_words >> (w + 1) : 0;
    if (!later) return -1;
    w += 1 + __builtin_ctz(later);
    return (w << 5) + __builtin_ctz(bin_map[w]);
}

void heap_init(void *start, size_t length) {
    uintptr_t s = ((uintptr_t)start + 7) & ~(uintptr_t)7;
    top = (struct chunk *)s;
    heap_total = (length - (s - (uintptr_t)start)) & ~(size_t)7;
    top->head = heap_total | PINUSE;
}

size_t heap_total_bytes(void) { return heap_total; }
size_t heap_used_bytes(void) { return heap_used; }

static size_t request_to_chunk(size_t n) {
    if (n > 0x7FFFFFF0u) return 0;
    size_t size = (n + HEADER + 7) & ~(size_t)7;
    return size < MIN_CHUNK ? MIN_CHUNK : size;
}

/* Marks c in use at exactly `size`, returning any tail as a free chunk. */
static void take(struct chunk *c, size_t size) {
    size_t have = chunk_size(c);
    if (have - size >= MIN_CHUNK) {
        struct chunk *rest = chunk_at(c, size);
        rest->head = (have - size) | PINUSE;
        next_chunk(rest)->prev_size = have - size;
        bin_insert(rest);
        c->head = size | CINUSE | (c->head & PINUSE);
    } else {
        c->head |= CINUSE;
        next_chunk(c)->head |= PINUSE;
    }
    heap_used += chunk_size(c);
}

static void *allocate(size_t size) {
    int i = bin_index(size);
    for (struct chunk *c = bins[i]; c; c = c->fd) {
        if (chunk_size(c) >= size) {
            bin_unlink(c);
            take(c, size);
            return payload(c);
        }
    }
    /* Every chunk in a higher bin is big enough. */
    i = next_nonempty_bin(i + 1);
    if (i >= 0) {
        struct chunk *c = bins[i];
        bin_unlink(c);
        take(c, size);
        return payload(c);
    }
    size_t top_size = chunk_size(top);
    if (top_size < size + MIN_CHUNK) return NULL;
    struct chunk *c = top;
    top = chunk_at(c, size);
    top->head = (top_size - size) | PINUSE;
    c->head = size | CINUSE | (c->head & PINUSE);
    heap_used += size;
    return payload(c);
}

/* Frees a chunk whose in-use bit is already accounted for. */
static void release(struct chunk *c) {
    size_t size = chunk_size(c);
    if (!(c->head & PINUSE)) {
        struct chunk *before = chunk_at(c, -c->prev_size);
        bin_unlink(before);
        size += chunk_size(before);
        c = before;
    }
    struct chunk *after = chunk_at(c, size);
    if (after == top) {
        top = c;
        top->head = (size + chunk_size(after)) | PINUSE;
        return;
    }
    if (!(after->head & CINUSE)) {
        bin_unlink(after);
        size += chunk_size(after);
    }
    c->head = size | PINUSE;
    next_chunk(c)->prev_size = size;
    next_chunk(c)->head &= ~PINUSE;
    bin_insert(c);
}

void *malloc(size_t n) {
    size_t size = request_to_chunk(n);
    void *p = size ? allocate(size) : NULL;
    if (!p) errno = ENOMEM;
    return p;
}

void free(void *p) {
    if (!p) return;
    struct chunk *c = chunk_of(p);
    heap_used -= chunk_size(c);
    c->head &= ~CINUSE;
    release(c);
}

void *calloc(size_t count, size_t size) {
    if (size && count > 0xFFFFFFFFu / size) return NULL;
    void *p = malloc(count * size);
    if (p) memset(p, 0, count * size);
    return p;
}

/*
 * Run once at boot, before QuickJS: dirty a chunk, free it, and check that
 * calloc hands back zeroed memory from it. GCC folds "malloc then memset 0"
 * into a call to calloc, which inside calloc itself is endless recursion;
 * this file is built with -fno-builtin so it cannot, and this test says so
 * at every boot. Returns 0 on success.
 */
int malloc_selftest(void) {
    unsigned char *dirty = malloc(64);
    if (!dirty) return -1;
    memset(dirty, 0xA5, 64);
    free(dirty);
    unsigned char *zeroed = calloc(16, 4);
    if (!zeroed) return -1;
    int bad = 0;
    for (int i = 0; i < 64; i++) bad |= zeroed[i];
    free(zeroed);
    return bad ? -1 : 0;
}

size_t malloc_usable_size(void *p) { return p ? usable_size(p) : 0; }

void *realloc(void *p, size_t n) {
    if (!p) return malloc(n);
    size_t size = request_to_chunk(n);
    if (!size) return NULL;
    struct chunk *c = chunk_of(p);
    size_t have = chunk_size(c);
    struct chunk *after = next_chunk(c);
    if (have < size && after != top && !(after->head & CINUSE) && have + chunk_size(after) >= size) {
        /* Grow in place into the free neighbour. */
        bin_unlink(after);
        heap_used += chunk_size(after);
        have += chunk_size(after);
        c->head = have | CINUSE | (c->head & PINUSE);
        next_chunk(c)->head |= PINUSE;
    } else if (have < size && after == top && have + chunk_size(top) >= size + MIN_CHUNK) {
        size_t top_size = chunk_size(top);
        top = chunk_at(c, size);
        top->head = (top_size - (size - have)) | PINUSE;
        heap_used += size - have;
        c->head = size | CINUSE | (c->head & PINUSE);
        return p;
    }
    if (have >= size) {
        if (have - size >= MIN_CHUNK) {
            struct chunk *rest = chunk_at(c, size);
            rest->head = (have - size) | PINUSE;
            c->head = size | CINUSE | (c->head & PINUSE);
            heap_used -= have - size;
            release(rest);
        }
        return p;
    }
    void *q = malloc(n);
    if (!q) return NULL;
    memcpy(q, p, have - HEADER);
    free(p);
    return q;
}

/*
 * QuickJS's allocation functions (JS_NewRuntime2), with the accounting of
 * its own defaults (js_def_malloc and the rest: a count, and the bytes in
 * use against a limit), but with each chunk's size read here, inline: every
 * object, string and shape QuickJS makes or frees paid two calls more for it.
 */
#define JS_CHUNK_OVERHEAD 8 /* QuickJS's MALLOC_OVERHEAD */

static void *js_heap_malloc(JSMallocState *s, size_t n) {
    size_t size = request_to_chunk(n);
    if (!size || s->malloc_size + n > s->malloc_limit) return NULL;
    void *p = allocate(size);
    if (!p) return NULL;
    s->malloc_count++;
    s->malloc_size += usable_size(p) + JS_CHUNK_OVERHEAD;
    return p;
}

static void js_heap_free(JSMallocState *s, void *p) {
    if (!p) return;
    s->malloc_count--;
    s->malloc_size -= usable_size(p) + JS_CHUNK_OVERHEAD;
    free(p);
}

static void *js_heap_realloc(JSMallocState *s, void *p, size_t n) {
    if (!p) return n ? js_heap_malloc(s, n) : NULL;
    size_t old = usable_size(p);
    if (n == 0) {
        js_heap_free(s, p);
        return NULL;
    }
    if (s->malloc_size + n - old > s->malloc_limit) return NULL;
    void *q = realloc(p, n);
    if (!q) return NULL;
    s->malloc_size += usable_size(q) - old;
    return q;
}

static size_t js_heap_usable_size(const void *p) { return malloc_usable_size((void *)p); }

const JSMallocFunctions js_heap_functions = {js_heap_malloc, js_heap_free, js_heap_realloc, js_heap_usable_size};
