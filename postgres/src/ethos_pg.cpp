// The PostgreSQL extension `ethos`: a thin extern "C" layer over the compiled library.
//
// Rules of this file (PostgreSQL reports errors with longjmp, which skips C++ destructors):
// - every C++ call runs inside guarded(), which catches every exception; the message is copied into a buffer on the
//   stack and ereport(ERROR) is raised only after the C++ frames are gone;
// - the PostgreSQL calls made inside guarded() are allocations (palloc fails only when memory runs out) and the
//   flattening of our own values;
// - a C++ object that outlives a call (the accumulator of a running aggregate) belongs to a PostgreSQL memory
//   context: a reset callback of that context deletes it, so an error or a cancelled query frees it too.
//
// The transition state of ethos_likert_agg is the SQL type ethos_likert_state (the ethos.state/1 bytes of a
// likert_accumulator), not `internal`: a partial aggregate's state can travel between processes (parallel workers)
// and machines (Citus) as a value of that type. While an aggregate runs, the state is an expanded object: the rows
// are buffered (a few bytes each) and added to a C++ accumulator a block at a time, and the bytes are made only when
// PostgreSQL needs the flat value.

#include <ethos/error.hpp>
#include <ethos/io/json_accumulator.hpp>
#include <ethos/io/state.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/org/protected_groups.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <vector>

extern "C" {
#include <postgres.h>
// postgres.h first
#include <catalog/pg_type_d.h>
#include <fmgr.h>
#include <funcapi.h>
#include <lib/stringinfo.h>
#include <libpq/pqformat.h>
#include <utils/array.h>
#include <utils/builtins.h>
#include <utils/expandeddatum.h>
#include <utils/jsonb.h>
#include <utils/lsyscache.h>
#include <utils/memutils.h>
#include <utils/tuplestore.h>

PG_MODULE_MAGIC;
}

namespace {

// ---------------------------------------------------------------------------------------------------------------
// Errors: C++ exceptions become SQL errors once the C++ frames are gone.

struct failure {
  int code = 0;
  char message[1536] = {};
};

void remember(failure& f, int code, const char* what) noexcept {
  f.code = code;
  strlcpy(f.message, what, sizeof f.message);
}

// Runs `body`; an exception is caught and reported as an SQL error with the library's message.
template <class F>
Datum guarded(int code, F&& body) {
  failure f;
  Datum result = 0;
  try {
    result = body();
  } catch (const ethos::error& e) {
    remember(f, code, e.what());
  } catch (const std::bad_alloc&) {
    remember(f, ERRCODE_OUT_OF_MEMORY, "ethos: out of memory");
  } catch (const std::exception& e) {
    remember(f, ERRCODE_INTERNAL_ERROR, e.what());
  } catch (...) {
    remember(f, ERRCODE_INTERNAL_ERROR, "ethos: unknown C++ exception");
  }
  if (f.code != 0) {
    ereport(ERROR, (errcode(f.code), errmsg("%s", f.message)));
  }
  return result;
}

[[noreturn]] void fail(int code, const char* message) {
  ereport(ERROR, (errcode(code), errmsg("%s", message)));
  pg_unreachable();
}

// ---------------------------------------------------------------------------------------------------------------
// Flat values: a varlena holding the ethos.state/1 bytes.

std::span<const std::uint8_t> state_bytes(const struct varlena* v) {
  return {reinterpret_cast<const std::uint8_t*>(VARDATA_ANY(v)), VARSIZE_ANY_EXHDR(v)};
}

struct varlena* flat_value(const std::vector<std::uint8_t>& bytes) {
  auto* out = static_cast<struct varlena*>(palloc(VARHDRSZ + bytes.size()));
  SET_VARSIZE(out, VARHDRSZ + bytes.size());
  std::memcpy(VARDATA(out), bytes.data(), bytes.size());
  return out;
}

// The accumulator of a flat value (detoasted, and flattened when it is one of our expanded objects).
ethos::likert_accumulator decode_value(Datum d, const char* source) {
  const struct varlena* v = PG_DETOAST_DATUM_PACKED(d);
  return ethos::decode_likert_state(state_bytes(v), source);
}

std::string describe_design(const ethos::likert_config& c) {
  std::string s = std::to_string(c.items) + " items on " + std::to_string(c.min) + ".." + std::to_string(c.max);
  s += ", min_answered " + std::to_string(c.min_answered) + ", reverse-keyed items: ";
  std::string rev;
  for (std::size_t i = 0; i < c.reverse.size(); ++i) {
    if (c.reverse[i]) {
      rev += (rev.empty() ? "" : ",") + std::to_string(i + 1);
    }
  }
  s += rev.empty() ? "none" : rev;
  s += ", groups " + std::to_string(c.groups);
  return s;
}

// Merges b into a, or says which designs differ (the library's merge would say only that they differ).
void merge_into(ethos::likert_accumulator& a, const ethos::likert_accumulator& b, const char* who) {
  if (!(a.config() == b.config())) {
    throw ethos::error(std::string(who) + ": a state of another design cannot be merged in (" +
                       describe_design(a.config()) + " against " + describe_design(b.config()) + ")");
  }
  a.merge(b);
}

// ---------------------------------------------------------------------------------------------------------------
// The running aggregate: an expanded object.

constexpr std::size_t flush_rows = 4096; // rows buffered before they are added to the accumulator

// The design of a state, kept in the object itself (no C++ allocation for a small state).
struct design {
  std::size_t items = 0;
  int min = 1;
  int max = 5;
  std::size_t min_answered = 0; // as filled in by the library (0 given: half the items)
  std::size_t groups = 1;
  bool reverse_given = false; // whether the first row gave reverse flags (later rows must give the same)
  bool reverse[255] = {};
};

ethos::likert_config config_of(const design& d) {
  ethos::likert_config c(d.items, d.min, d.max, d.groups);
  c.reverse.assign(d.reverse, d.reverse + d.items);
  c.min_answered = d.min_answered;
  return c;
}

design design_of(const ethos::likert_config& c, bool reverse_given) {
  design d;
  d.items = c.items;
  d.min = c.min;
  d.max = c.max;
  d.min_answered = c.min_answered;
  d.groups = c.groups;
  d.reverse_given = reverse_given;
  for (std::size_t i = 0; i < c.items && i < c.reverse.size(); ++i) {
    d.reverse[i] = c.reverse[i];
  }
  return d;
}

// A running state. Every state of one aggregate context lives in one memory context shared by them (a child of the
// aggregate's): a context per state would make PostgreSQL's hash aggregation, which sums its memory over every child
// context each time it meets a new group, quadratic in the groups. PostgreSQL never deletes a transition value it
// gets back unchanged, which is what these functions always return once a state exists, so the shared context is
// only ever reset with the aggregate's.
struct likert_eoh {
  ExpandedObjectHeader hdr; // first: PostgreSQL's view of the object
  // What every row touches, next to the header: a GROUP BY over thousands of teams reads each state from memory,
  // so the fewer cache lines a row needs the better.
  std::uint8_t* buffer = nullptr; // buffered rows, row-major, k bytes each (0xFF: missing)
  std::size_t buffered = 0;
  std::size_t capacity = 0;                 // rows the buffer holds: it grows by doubling up to flush_rows
  std::uint64_t rows_seen = 0;              // rows given to this state by the transition function, for messages
  struct varlena* flat = nullptr;           // the flat value, made on demand; freed by every change
  ethos::likert_accumulator* acc = nullptr; // made when the buffer first fills, or by a merge; freed by `cleanup`
  design d;                                 // (its reverse flags last)
  MemoryContextCallback cleanup;
};

void eoh_cleanup(void* arg) {
  auto* e = static_cast<likert_eoh*>(arg);
  delete e->acc;
  e->acc = nullptr;
}

void changed(likert_eoh* e) {
  if (e->flat != nullptr) {
    pfree(e->flat);
    e->flat = nullptr;
  }
}

// Gives the state an accumulator (a merge's, or an empty one), its deletion tied to the shared context.
ethos::likert_accumulator& adopt(likert_eoh* e, ethos::likert_accumulator&& a) {
  e->acc = new ethos::likert_accumulator(std::move(a));
  e->cleanup.func = eoh_cleanup;
  e->cleanup.arg = e;
  MemoryContextRegisterResetCallback(e->hdr.eoh_context, &e->cleanup);
  return *e->acc;
}

// The accumulator of a state, made on first use.
ethos::likert_accumulator& accumulator(likert_eoh* e) {
  return e->acc != nullptr ? *e->acc : adopt(e, ethos::likert_accumulator(config_of(e->d)));
}

// Adds the buffered rows to `acc` (columns of at most flush_rows rows).
void add_buffered(const likert_eoh* e, ethos::likert_accumulator& acc) {
  const std::size_t k = e->d.items;
  const std::size_t n = e->buffered;
  if (n == 0) {
    return;
  }
  std::vector<std::uint8_t> columns(k * n);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t i = 0; i < k; ++i) {
      columns[i * n + r] = e->buffer[r * k + i];
    }
  }
  std::vector<const std::uint8_t*> ptrs(k);
  for (std::size_t i = 0; i < k; ++i) {
    ptrs[i] = columns.data() + i * n;
  }
  const std::vector<std::uint32_t> codes(n, 0);
  acc.add(ptrs, n, codes);
}

void flush(likert_eoh* e) {
  add_buffered(e, accumulator(e));
  e->buffered = 0;
}

// The flat bytes of the state: the accumulator's, with the buffered rows added (to a copy when there is no
// accumulator yet, so that a small group's state never keeps one).
std::vector<std::uint8_t> eoh_encode(const likert_eoh* e) {
  if (e->acc != nullptr && e->buffered == 0) {
    return ethos::encode_state(*e->acc);
  }
  ethos::likert_accumulator acc = e->acc != nullptr ? *e->acc : ethos::likert_accumulator(config_of(e->d));
  add_buffered(e, acc);
  return ethos::encode_state(acc);
}

Size eoh_get_flat_size(ExpandedObjectHeader* eohptr) {
  auto* e = reinterpret_cast<likert_eoh*>(eohptr);
  if (e->flat == nullptr) {
    guarded(ERRCODE_INTERNAL_ERROR, [&] {
      const auto bytes = eoh_encode(e);
      MemoryContext old = MemoryContextSwitchTo(e->hdr.eoh_context);
      e->flat = flat_value(bytes);
      MemoryContextSwitchTo(old);
      return Datum{0};
    });
  }
  return VARSIZE(e->flat);
}

void eoh_flatten_into(ExpandedObjectHeader* eohptr, void* result, Size allocated_size) {
  auto* e = reinterpret_cast<likert_eoh*>(eohptr);
  Assert(e->flat != nullptr && allocated_size == VARSIZE(e->flat));
  std::memcpy(result, e->flat, allocated_size);
}

const ExpandedObjectMethods likert_eoh_methods = {eoh_get_flat_size, eoh_flatten_into};

// The shared context of an aggregate context's states, remembered per call site (fn_extra): a short list, as one
// call site can serve several aggregate contexts (grouping sets). A context's entry clears itself when the context
// goes (with its aggregate context's reset).
struct shared_entry {
  MemoryContext aggcontext = nullptr;
  MemoryContext shared = nullptr;
  MemoryContextCallback forget;
};
struct shared_contexts {
  shared_entry entries[8];
  // The design the arguments gave last (items, scale, reverse, min_answered), validated by the library once.
  bool has_last = false;
  int last_min_answered = 0;
  design last;
};

shared_contexts* call_cache(FunctionCallInfo fcinfo) {
  auto* cache = static_cast<shared_contexts*>(fcinfo->flinfo->fn_extra);
  if (cache == nullptr) {
    cache = new (MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(shared_contexts))) shared_contexts{};
    fcinfo->flinfo->fn_extra = cache;
  }
  return cache;
}

void forget_shared(void* arg) {
  auto* entry = static_cast<shared_entry*>(arg);
  entry->aggcontext = nullptr;
  entry->shared = nullptr;
}

MemoryContext shared_context(FunctionCallInfo fcinfo, MemoryContext aggcontext) {
  shared_contexts* cache = call_cache(fcinfo);
  shared_entry* free_entry = nullptr;
  for (auto& entry : cache->entries) {
    if (entry.shared != nullptr && entry.aggcontext == aggcontext) {
      return entry.shared;
    }
    if (entry.shared == nullptr && free_entry == nullptr) {
      free_entry = &entry;
    }
  }
  // (AllocSetContextCreate's macro checks its name with a GNU statement expression: the function it calls, here.)
  MemoryContext shared = AllocSetContextCreateInternal(aggcontext, "ethos_likert_state", ALLOCSET_DEFAULT_SIZES);
  if (free_entry != nullptr) {
    free_entry->aggcontext = aggcontext;
    free_entry->shared = shared;
    free_entry->forget.func = forget_shared;
    free_entry->forget.arg = free_entry;
    MemoryContextRegisterResetCallback(shared, &free_entry->forget);
  }
  return shared;
}

// A new, empty expanded state of design `d` in the aggregate's shared context.
likert_eoh* new_eoh(FunctionCallInfo fcinfo, MemoryContext aggcontext, const design& d) {
  MemoryContext shared = shared_context(fcinfo, aggcontext);
  auto* e = new (MemoryContextAllocZero(shared, sizeof(likert_eoh))) likert_eoh{};
  EOH_init_header(&e->hdr, &likert_eoh_methods, shared);
  e->d = d;
  return e;
}

// Our expanded object when `d` is a read-write pointer to one in the aggregate's context, else null.
likert_eoh* own_eoh(Datum d, MemoryContext aggcontext) {
  if (!VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d))) {
    return nullptr;
  }
  ExpandedObjectHeader* h = DatumGetEOHP(d);
  if (h->eoh_methods != &likert_eoh_methods || MemoryContextGetParent(h->eoh_context) != aggcontext) {
    return nullptr;
  }
  return reinterpret_cast<likert_eoh*>(h);
}

MemoryContext aggregate_context(FunctionCallInfo fcinfo, const char* who) {
  MemoryContext aggcontext = nullptr;
  if (AggCheckCallContext(fcinfo, &aggcontext) == 0) {
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("%s is an aggregate's transition function: call the aggregate", who)));
  }
  return aggcontext;
}

int arg_int(FunctionCallInfo fcinfo, int n, const char* name) {
  if (PG_ARGISNULL(n)) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("ethos_likert_agg: %s must not be NULL", name)));
  }
  return PG_GETARG_INT32(n);
}

// The reverse flags of argument n (NULL or absent: none), as a vector of k flags.
std::vector<bool> reverse_flags(FunctionCallInfo fcinfo, int n, std::size_t k) {
  std::vector<bool> flags;
  if (PG_NARGS() <= n || PG_ARGISNULL(n)) {
    return flags;
  }
  ArrayType* a = PG_GETARG_ARRAYTYPE_P(n);
  if (ARR_NDIM(a) > 1) {
    fail(ERRCODE_ARRAY_SUBSCRIPT_ERROR, "ethos_likert_agg: reverse must be a one-dimensional boolean array");
  }
  const int count = ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
  if (static_cast<std::size_t>(count) != k) {
    ereport(ERROR,
            (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
             errmsg("ethos_likert_agg: reverse has %d elements, answers has %zu (one flag per item)", count, k)));
  }
  if (ARR_HASNULL(a)) {
    fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "ethos_likert_agg: reverse must not contain NULL (true or false per item)");
  }
  const auto* v = reinterpret_cast<const bool*>(ARR_DATA_PTR(a));
  flags.assign(v, v + count);
  return flags;
}

// Whether argument n's reverse flags are the design's (checked per row without a copy).
bool same_reverse(FunctionCallInfo fcinfo, int n, const design& d) {
  ArrayType* a = PG_GETARG_ARRAYTYPE_P(n);
  if (ARR_NDIM(a) != 1 || static_cast<std::size_t>(ARR_DIMS(a)[0]) != d.items || ARR_HASNULL(a)) {
    return false;
  }
  const auto* v = reinterpret_cast<const bool*>(ARR_DATA_PTR(a));
  return std::equal(v, v + d.items, d.reverse);
}

} // namespace

extern "C" {

PG_FUNCTION_INFO_V1(ethos_likert_state_in);
PG_FUNCTION_INFO_V1(ethos_likert_state_out);
PG_FUNCTION_INFO_V1(ethos_likert_state_recv);
PG_FUNCTION_INFO_V1(ethos_likert_state_send);
PG_FUNCTION_INFO_V1(ethos_likert_state_from_bytea);
PG_FUNCTION_INFO_V1(ethos_likert_state_to_bytea);
PG_FUNCTION_INFO_V1(ethos_likert_trans);
PG_FUNCTION_INFO_V1(ethos_likert_merge);
PG_FUNCTION_INFO_V1(ethos_likert_final);
PG_FUNCTION_INFO_V1(ethos_state_info);
PG_FUNCTION_INFO_V1(ethos_reliability);
PG_FUNCTION_INFO_V1(ethos_agreement);
PG_FUNCTION_INFO_V1(ethos_icc);
PG_FUNCTION_INFO_V1(ethos_protected_groups);
PG_FUNCTION_INFO_V1(ethos_enps_trans);
PG_FUNCTION_INFO_V1(ethos_enps_combine);
PG_FUNCTION_INFO_V1(ethos_enps_final);
}

namespace {

// A validated flat value from bytes given by a user (text, binary or bytea input).
Datum state_from_bytes(std::span<const std::uint8_t> bytes, const char* source) {
  return guarded(ERRCODE_INVALID_BINARY_REPRESENTATION, [&] {
    (void)ethos::decode_likert_state(bytes, source);
    auto* out = static_cast<struct varlena*>(palloc(VARHDRSZ + bytes.size()));
    SET_VARSIZE(out, VARHDRSZ + bytes.size());
    std::memcpy(VARDATA(out), bytes.data(), bytes.size());
    return PointerGetDatum(out);
  });
}

Datum jsonb_from_text(const std::string& text) { return DirectFunctionCall1(jsonb_in, CStringGetDatum(text.c_str())); }

} // namespace

extern "C" {

// Text form: \x followed by the bytes in hex, as bytea writes them.
Datum ethos_likert_state_in(PG_FUNCTION_ARGS) {
  const char* input = PG_GETARG_CSTRING(0);
  const std::size_t len = std::strlen(input);
  if (len < 2 || input[0] != '\\' || input[1] != 'x' || (len - 2) % 2 != 0) {
    fail(ERRCODE_INVALID_TEXT_REPRESENTATION,
         "ethos_likert_state: the text form is \\x followed by an even number of hex digits (the ethos.state/1 bytes)");
  }
  const std::size_t n = (len - 2) / 2;
  auto* bytes = static_cast<std::uint8_t*>(palloc(n + 1));
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const int hi = hex(input[2 + 2 * i]);
    const int lo = hex(input[3 + 2 * i]);
    if (hi < 0 || lo < 0) {
      ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                      errmsg("ethos_likert_state: character %zu of the text form is not a hex digit", 3 + 2 * i)));
    }
    bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return state_from_bytes({bytes, n}, "ethos_likert_state");
}

Datum ethos_likert_state_out(PG_FUNCTION_ARGS) {
  const struct varlena* v = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
  const auto bytes = state_bytes(v);
  char* out = static_cast<char*>(palloc(3 + 2 * bytes.size()));
  static constexpr char digits[] = "0123456789abcdef";
  out[0] = '\\';
  out[1] = 'x';
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 + 2 * i] = digits[bytes[i] >> 4];
    out[3 + 2 * i] = digits[bytes[i] & 15];
  }
  out[2 + 2 * bytes.size()] = '\0';
  PG_RETURN_CSTRING(out);
}

Datum ethos_likert_state_recv(PG_FUNCTION_ARGS) {
  StringInfo buf = reinterpret_cast<StringInfo>(PG_GETARG_POINTER(0));
  const auto n = static_cast<std::size_t>(buf->len - buf->cursor);
  const char* data = pq_getmsgbytes(buf, static_cast<int>(n));
  return state_from_bytes({reinterpret_cast<const std::uint8_t*>(data), n}, "ethos_likert_state (binary)");
}

Datum ethos_likert_state_send(PG_FUNCTION_ARGS) {
  const struct varlena* v = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
  StringInfoData buf;
  pq_begintypsend(&buf);
  pq_sendbytes(&buf, VARDATA_ANY(v), static_cast<int>(VARSIZE_ANY_EXHDR(v)));
  PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

// bytea -> state (what the Python package's LikertAccumulator.to_bytes() gives), validated.
Datum ethos_likert_state_from_bytea(PG_FUNCTION_ARGS) {
  const struct varlena* v = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
  return state_from_bytes(state_bytes(v), "bytea cast to ethos_likert_state");
}

Datum ethos_likert_state_to_bytea(PG_FUNCTION_ARGS) {
  PG_RETURN_DATUM(PointerGetDatum(PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0))));
}

// ethos_likert_agg's transition: (state, answers smallint[], scale_min, scale_max [, reverse bool[] [, min_answered]])
Datum ethos_likert_trans(PG_FUNCTION_ARGS) {
  MemoryContext aggcontext = aggregate_context(fcinfo, "ethos_likert_trans");
  if (PG_ARGISNULL(1)) {
    // A NULL answers array is no row (as every aggregate skips NULL input); a row of NULLs is a respondent.
    if (PG_ARGISNULL(0)) {
      PG_RETURN_NULL();
    }
    PG_RETURN_DATUM(PG_GETARG_DATUM(0));
  }
  const int scale_min = arg_int(fcinfo, 2, "scale_min");
  const int scale_max = arg_int(fcinfo, 3, "scale_max");
  const int min_answered = PG_NARGS() > 5 ? arg_int(fcinfo, 5, "min_answered") : 0;
  ArrayType* answers = PG_GETARG_ARRAYTYPE_P(1);
  if (ARR_NDIM(answers) > 1) {
    fail(ERRCODE_ARRAY_SUBSCRIPT_ERROR, "ethos_likert_agg: answers must be a one-dimensional smallint array");
  }
  const int count = ARR_NDIM(answers) == 0 ? 0 : ARR_DIMS(answers)[0];
  likert_eoh* e = PG_ARGISNULL(0) ? nullptr : own_eoh(PG_GETARG_DATUM(0), aggcontext);
  if (e == nullptr) {
    const auto k = static_cast<std::size_t>(count);
    const std::vector<bool> rev = reverse_flags(fcinfo, 4, k);
    shared_contexts* cache = call_cache(fcinfo);
    const design& last = cache->last;
    const bool same = cache->has_last && last.items == k && last.min == scale_min && last.max == scale_max &&
                      cache->last_min_answered == min_answered && last.reverse_given == !rev.empty() &&
                      std::equal(rev.begin(), rev.end(), last.reverse);
    if (!same) {
      guarded(ERRCODE_INVALID_PARAMETER_VALUE, [&] {
        if (min_answered < 0) {
          throw ethos::error("ethos_likert_agg: min_answered must be 0 (half the items) or more, not " +
                             std::to_string(min_answered));
        }
        if (k == 0) {
          throw ethos::error("ethos_likert_agg: answers is empty (one element per item)");
        }
        ethos::likert_config cfg(k, scale_min, scale_max, 1);
        cfg.reverse = rev;
        cfg.min_answered = static_cast<std::size_t>(min_answered);
        const ethos::likert_accumulator probe(cfg); // validates the design; its filled-in config is the one kept
        cache->last = design_of(probe.config(), !rev.empty());
        cache->last_min_answered = min_answered;
        cache->has_last = true;
        return Datum{0};
      });
    }
    likert_eoh* fresh = new_eoh(fcinfo, aggcontext, cache->last);
    if (!PG_ARGISNULL(0)) {
      // A flat state to go on from (a window's running state, say): its counts first.
      guarded(ERRCODE_INVALID_PARAMETER_VALUE, [&] {
        const auto earlier = decode_value(PG_GETARG_DATUM(0), "ethos_likert_agg state");
        merge_into(accumulator(fresh), earlier, "ethos_likert_agg");
        return Datum{0};
      });
    }
    e = fresh;
  } else {
    const design& d = e->d;
    if (static_cast<std::size_t>(count) != d.items) {
      ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                      errmsg("ethos_likert_agg: answers has %d elements in this row, %zu in the rows before it "
                             "(row %llu of this aggregate): one element per item in every row",
                             count, d.items, static_cast<unsigned long long>(e->rows_seen + 1))));
    }
    if (scale_min != d.min || scale_max != d.max) {
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("ethos_likert_agg: the scale changed from %d..%d to %d..%d in row %llu of this "
                             "aggregate: one scale per aggregate",
                             d.min, d.max, scale_min, scale_max, static_cast<unsigned long long>(e->rows_seen + 1))));
    }
    if (PG_NARGS() > 4 && !PG_ARGISNULL(4)) {
      if (!d.reverse_given || !same_reverse(fcinfo, 4, d)) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("ethos_likert_agg: reverse changed in row %llu of this aggregate: one keying per "
                               "aggregate",
                               static_cast<unsigned long long>(e->rows_seen + 1))));
      }
    } else if (d.reverse_given && PG_NARGS() > 4) {
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("ethos_likert_agg: reverse is NULL in row %llu of this aggregate, given before it",
                             static_cast<unsigned long long>(e->rows_seen + 1))));
    }
    if (PG_NARGS() > 5 && min_answered != 0 && static_cast<std::size_t>(min_answered) != d.min_answered) {
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("ethos_likert_agg: min_answered changed in row %llu of this aggregate",
                             static_cast<unsigned long long>(e->rows_seen + 1))));
    }
  }
  // The row: NULL elements are missing answers (0xFF); every other answer must lie on the scale.
  const std::size_t k = e->d.items;
  // A small buffer first, doubled up to flush_rows: a team's state holds a few rows, and a GROUP BY over thousands of
  // teams keeps every state at once.
  if (e->buffer == nullptr || e->buffered == e->capacity) {
    e->capacity = e->buffer == nullptr ? 8 : std::min(2 * e->capacity, flush_rows);
    e->buffer =
        static_cast<std::uint8_t*>(e->buffer == nullptr ? MemoryContextAlloc(e->hdr.eoh_context, e->capacity * k)
                                                        : repalloc(e->buffer, e->capacity * k));
  }
  std::uint8_t* row = e->buffer + e->buffered * k;
  const auto* values = reinterpret_cast<const int16*>(ARR_DATA_PTR(answers));
  const bits8* nulls = ARR_NULLBITMAP(answers);
  std::size_t next = 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (nulls != nullptr && (nulls[i / 8] & (1 << (i % 8))) == 0) {
      row[i] = 0xFF;
      continue;
    }
    const int16 x = values[next++];
    if (x < e->d.min || x > e->d.max) {
      ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                      errmsg("ethos_likert_agg: answer %d at position %zu is outside the scale %d..%d (row %llu of "
                             "this aggregate); use NULL for a missing answer",
                             static_cast<int>(x), i + 1, e->d.min, e->d.max,
                             static_cast<unsigned long long>(e->rows_seen + 1))));
    }
    row[i] = static_cast<std::uint8_t>(x);
  }
  ++e->buffered;
  ++e->rows_seen;
  changed(e);
  if (e->buffered == flush_rows) {
    guarded(ERRCODE_PROGRAM_LIMIT_EXCEEDED, [&] {
      flush(e);
      return Datum{0};
    });
  }
  PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

// ethos_merge_agg's transition and both aggregates' combine function: state + state (both of one design).
Datum ethos_likert_merge(PG_FUNCTION_ARGS) {
  MemoryContext aggcontext = aggregate_context(fcinfo, "ethos_likert_merge");
  // Strict: PostgreSQL gives both, and took the first non-NULL input as the state.
  likert_eoh* e = own_eoh(PG_GETARG_DATUM(0), aggcontext);
  if (e == nullptr) {
    guarded(ERRCODE_INVALID_BINARY_REPRESENTATION, [&] {
      auto first = decode_value(PG_GETARG_DATUM(0), "ethos_merge_agg state");
      e = new_eoh(fcinfo, aggcontext, design_of(first.config(), false));
      adopt(e, std::move(first));
      return Datum{0};
    });
  }
  guarded(ERRCODE_INVALID_PARAMETER_VALUE, [&] {
    if (e->buffered > 0) {
      flush(e);
    }
    const auto other = decode_value(PG_GETARG_DATUM(1), "ethos_merge_agg input");
    merge_into(accumulator(e), other, "ethos_merge_agg");
    return Datum{0};
  });
  changed(e);
  PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

// The final value of both aggregates: the flat bytes, in the caller's context.
Datum ethos_likert_final(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) {
    PG_RETURN_NULL();
  }
  PG_RETURN_POINTER(PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0)));
}

Datum ethos_state_info(PG_FUNCTION_ARGS) {
  const Datum d = PG_GETARG_DATUM(0);
  return guarded(ERRCODE_INVALID_BINARY_REPRESENTATION, [&] {
    const auto acc = decode_value(d, "ethos_state_info");
    const auto& c = acc.config();
    std::string j = "{\"items\": " + std::to_string(c.items) + ", \"scale_min\": " + std::to_string(c.min) +
                    ", \"scale_max\": " + std::to_string(c.max) + ", \"reverse\": [";
    for (std::size_t i = 0; i < c.reverse.size(); ++i) {
      j += std::string(i == 0 ? "" : ", ") + (c.reverse[i] ? "true" : "false");
    }
    j += "], \"min_answered\": " + std::to_string(c.min_answered) + ", \"groups\": " + std::to_string(c.groups) +
         ", \"rows\": " + std::to_string(acc.rows()) +
         ", \"bytes\": " + std::to_string(VARSIZE_ANY_EXHDR(PG_DETOAST_DATUM_PACKED(d))) + "}";
    return jsonb_from_text(j);
  });
}

Datum ethos_reliability(PG_FUNCTION_ARGS) {
  const Datum d = PG_GETARG_DATUM(0);
  return guarded(ERRCODE_INVALID_BINARY_REPRESENTATION, [&] {
    const auto acc = decode_value(d, "ethos_reliability");
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < acc.config().items; ++i) {
      keys.push_back(std::to_string(i + 1));
    }
    return jsonb_from_text(ethos::reliability_json(acc, keys));
  });
}

Datum ethos_agreement(PG_FUNCTION_ARGS) {
  const Datum d = PG_GETARG_DATUM(0);
  return guarded(ERRCODE_INVALID_BINARY_REPRESENTATION, [&] {
    const auto acc = decode_value(d, "ethos_agreement");
    return jsonb_from_text(ethos::agreement_json(acc));
  });
}

} // extern "C"

namespace {

// The elements of a text[] (NULL: std::nullopt) and of an ethos_likert_state[] (NULL: an error), of equal lengths.
struct keyed_states {
  std::vector<std::optional<std::string>> keys;
  std::vector<Datum> states;
};

keyed_states keyed_arguments(FunctionCallInfo fcinfo, int keys_arg, int states_arg, const char* who) {
  if (PG_ARGISNULL(keys_arg) || PG_ARGISNULL(states_arg)) {
    ereport(ERROR,
            (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s: the keys and the states must not be NULL", who)));
  }
  ArrayType* ka = PG_GETARG_ARRAYTYPE_P(keys_arg);
  ArrayType* sa = PG_GETARG_ARRAYTYPE_P(states_arg);
  if (ARR_NDIM(ka) > 1 || ARR_NDIM(sa) > 1) {
    ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                    errmsg("%s: the keys and the states must be one-dimensional arrays", who)));
  }
  Datum* kd = nullptr;
  bool* kn = nullptr;
  int kcount = 0;
  deconstruct_array(ka, TEXTOID, -1, false, TYPALIGN_INT, &kd, &kn, &kcount);
  int16 typlen = 0;
  bool typbyval = false;
  char typalign = 0;
  get_typlenbyvalalign(ARR_ELEMTYPE(sa), &typlen, &typbyval, &typalign);
  Datum* sd = nullptr;
  bool* sn = nullptr;
  int scount = 0;
  deconstruct_array(sa, ARR_ELEMTYPE(sa), typlen, typbyval, typalign, &sd, &sn, &scount);
  if (kcount != scount) {
    ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                    errmsg("%s: %d keys for %d states (one key per state, in the same order)", who, kcount, scount)));
  }
  keyed_states out;
  for (int i = 0; i < kcount; ++i) {
    if (sn[i]) {
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                      errmsg("%s: state %d is NULL (a group without rows has no state: leave it out)", who, i + 1)));
    }
  }
  out.states.assign(sd, sd + scount);
  for (int i = 0; i < kcount; ++i) {
    if (kn[i]) {
      out.keys.emplace_back(std::nullopt);
    } else {
      const text* t = DatumGetTextPP(kd[i]);
      out.keys.emplace_back(std::string(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
    }
  }
  return out;
}

std::vector<ethos::likert_accumulator> decode_all(const keyed_states& ks, const char* who) {
  std::vector<ethos::likert_accumulator> out;
  out.reserve(ks.states.size());
  for (std::size_t i = 0; i < ks.states.size(); ++i) {
    const std::string source = std::string(who) + " state " + std::to_string(i + 1);
    out.push_back(decode_value(ks.states[i], source.c_str()));
  }
  return out;
}

} // namespace

extern "C" {

// ICC(1)/ICC(2) across groups given as one state per group: the groups in key order (bytewise), states with the same
// key merged, states without a key (NULL) left out.
Datum ethos_icc(PG_FUNCTION_ARGS) {
  const keyed_states ks = keyed_arguments(fcinfo, 0, 1, "ethos_icc");
  return guarded(ERRCODE_INVALID_PARAMETER_VALUE, [&] {
    auto accs = decode_all(ks, "ethos_icc");
    std::map<std::string, ethos::likert_accumulator*> by_key;
    for (std::size_t i = 0; i < accs.size(); ++i) {
      if (!ks.keys[i]) {
        continue;
      }
      const auto [it, fresh] = by_key.emplace(*ks.keys[i], &accs[i]);
      if (!fresh) {
        merge_into(*it->second, accs[i], "ethos_icc");
      }
    }
    std::vector<const ethos::likert_accumulator*> ordered;
    for (const auto& [key, acc] : by_key) {
      ordered.push_back(acc);
    }
    return jsonb_from_text(ethos::icc_json(ethos::icc(ethos::side_by_side(ordered))));
  });
}

// ethos_protected_groups(k, groups text[], states ethos_likert_state[]) -> TABLE(group_key, n, status, result)
Datum ethos_protected_groups(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) {
    fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "ethos_protected_groups: k must not be NULL");
  }
  const int k = PG_GETARG_INT32(0);
  if (k < 3) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("ethos_protected_groups: k is %d; the minimum group size is at least 3", k)));
  }
  const keyed_states ks = keyed_arguments(fcinfo, 1, 2, "ethos_protected_groups");
  InitMaterializedSRF(fcinfo, 0);
  ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  guarded(ERRCODE_INVALID_PARAMETER_VALUE, [&] {
    const auto accs = decode_all(ks, "ethos_protected_groups");
    std::vector<const ethos::likert_accumulator*> ptrs;
    for (const auto& a : accs) {
      ptrs.push_back(&a);
    }
    const auto r = ethos::protect_group_states(static_cast<std::size_t>(k), ks.keys, ptrs);
    for (const auto& g : r.groups) {
      Datum values[4];
      bool nulls[4] = {false, false, false, false};
      values[0] = PointerGetDatum(cstring_to_text_with_len(g.key.data(), static_cast<int>(g.key.size())));
      values[1] = Int64GetDatum(static_cast<int64>(g.respondents));
      const std::string status(ethos::key(g.status));
      values[2] = PointerGetDatum(cstring_to_text(status.c_str()));
      if (g.figures) {
        values[3] = jsonb_from_text(ethos::group_figures_json(*g.figures));
      } else {
        values[3] = 0;
        nulls[3] = true;
      }
      tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return Datum{0};
  });
  return Datum{0};
}

// eNPS: the state is bigint[3] {promoters, passives, detractors}, changed in place inside an aggregate.
Datum ethos_enps_trans(PG_FUNCTION_ARGS) {
  MemoryContext aggcontext = aggregate_context(fcinfo, "ethos_enps_trans");
  (void)aggcontext;
  ArrayType* state = PG_GETARG_ARRAYTYPE_P(0);
  if (ARR_NDIM(state) != 1 || ARR_DIMS(state)[0] != 3 || ARR_HASNULL(state)) {
    fail(ERRCODE_DATA_EXCEPTION, "ethos_enps_agg: the state must be bigint[3] {promoters, passives, detractors}");
  }
  if (!PG_ARGISNULL(1)) {
    const int x = PG_GETARG_INT16(1);
    if (x < 0 || x > 10) {
      ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                      errmsg("ethos_enps_agg: answer %d is outside the NPS scale 0..10; use NULL for no answer", x)));
    }
    auto* counts = reinterpret_cast<int64*>(ARR_DATA_PTR(state));
    ++counts[x >= 9 ? 0 : x >= 7 ? 1 : 2];
  }
  PG_RETURN_ARRAYTYPE_P(state);
}

Datum ethos_enps_combine(PG_FUNCTION_ARGS) {
  MemoryContext aggcontext = aggregate_context(fcinfo, "ethos_enps_combine");
  (void)aggcontext;
  ArrayType* a = PG_GETARG_ARRAYTYPE_P(0);
  ArrayType* b = PG_GETARG_ARRAYTYPE_P(1);
  for (ArrayType* s : {a, b}) {
    if (ARR_NDIM(s) != 1 || ARR_DIMS(s)[0] != 3 || ARR_HASNULL(s)) {
      fail(ERRCODE_DATA_EXCEPTION, "ethos_enps_agg: a state must be bigint[3] {promoters, passives, detractors}");
    }
  }
  auto* x = reinterpret_cast<int64*>(ARR_DATA_PTR(a));
  const auto* y = reinterpret_cast<const int64*>(ARR_DATA_PTR(b));
  for (int i = 0; i < 3; ++i) {
    x[i] += y[i];
  }
  PG_RETURN_ARRAYTYPE_P(a);
}

Datum ethos_enps_final(PG_FUNCTION_ARGS) {
  ArrayType* state = PG_GETARG_ARRAYTYPE_P(0);
  if (ARR_NDIM(state) != 1 || ARR_DIMS(state)[0] != 3 || ARR_HASNULL(state)) {
    fail(ERRCODE_DATA_EXCEPTION, "ethos_enps_agg: the state must be bigint[3] {promoters, passives, detractors}");
  }
  const auto* c = reinterpret_cast<const int64*>(ARR_DATA_PTR(state));
  for (int i = 0; i < 3; ++i) {
    if (c[i] < 0) {
      fail(ERRCODE_DATA_EXCEPTION, "ethos_enps_agg: a count of the state is negative");
    }
  }
  return guarded(ERRCODE_INVALID_PARAMETER_VALUE, [&] {
    const auto e = ethos::enps_from_counts(static_cast<std::size_t>(c[0]), static_cast<std::size_t>(c[1]),
                                           static_cast<std::size_t>(c[2]));
    return jsonb_from_text(ethos::enps_json(e));
  });
}

} // extern "C"
