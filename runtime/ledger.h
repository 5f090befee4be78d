// The columnar in-memory ledger: one vector per column (structure of
// arrays), strings interned to 32-bit ids, and every per-invoice event list
// (payments, adjustments, disputes, promises, actions) stored sorted by
// (invoice, date) with per-invoice offset ranges (compressed sparse rows).
// Invoice i's payments are rows payments.begin(i) .. payments.end(i).
// Built by LoadLedger (ledger_loader.h); read by the simulator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/currency.h"
#include "runtime/date.h"

namespace recoup::runtime {

// Interned strings: each distinct text is stored once in one arena and
// named by a dense id (0, 1, 2... in first-seen order), so columns of text
// cost four bytes a row and equal texts compare as equal ids.
class StringPool {
 public:
  using Id = std::uint32_t;
  // The id of `text`, adding it when new; `second` tells whether it was new.
  std::pair<Id, bool> Intern(std::string_view text);
  std::optional<Id> Find(std::string_view text) const;
  std::string_view Get(Id id) const {
    std::uint32_t begin = id == 0 ? 0 : ends_[id - 1];
    return std::string_view(bytes_.data() + begin, ends_[id] - begin);
  }
  std::size_t size() const { return ends_.size(); }

  // Cache warming for lookups a loader will make a few rows later (the
  // tables are far bigger than the caches, so each probe would otherwise
  // wait on memory): the home slot of `text`; the id its probe most likely
  // finds (the first slot with its hash tag, not compared); that id's end
  // offset; that id's bytes.
  void PrefetchSlot(std::string_view text) const;
  std::optional<Id> Candidate(std::string_view text) const;
  void PrefetchEnd(Id id) const { __builtin_prefetch(&ends_[id]); }
  void PrefetchBytes(Id id) const { __builtin_prefetch(bytes_.data() + (id == 0 ? 0 : ends_[id - 1])); }

  // Bytes held (arena, ends and hash slots), for the memory budget.
  std::size_t MemoryBytes() const;
  // Makes room for `count` more strings of `bytes` in all, so loading a
  // big file does not regrow (and rehash) step by step.
  void Reserve(std::size_t count, std::size_t bytes);
  // Gives back spare capacity once loading is over.
  void ShrinkToFit();

 private:
  void Grow();
  std::size_t Slot(std::string_view text, std::uint64_t hash) const;

  std::string bytes_;
  std::vector<std::uint32_t> ends_;  // end offset of each string in bytes_
  // Open addressing: (hash tag << 32) | (id + 1), 0 = empty.
  std::vector<std::uint64_t> slots_;
};

// String attributes from extra columns: per column, a name (lower case, as
// in the header) and one interned value per row (ids into Ledger::texts).
struct AttributeColumns {
  std::vector<std::string> names;
  std::vector<std::vector<StringPool::Id>> values;  // [column][row]
  // The column index of `name`, or nothing.
  std::optional<std::size_t> Find(std::string_view name) const;
};

// Per-invoice row ranges of an event table: rows of invoice i are
// [offsets[i], offsets[i + 1]). offsets has invoice count + 1 entries.
struct EventRanges {
  std::vector<std::uint32_t> offsets;
  std::uint32_t begin(std::uint32_t invoice) const { return offsets[invoice]; }
  std::uint32_t end(std::uint32_t invoice) const { return offsets[invoice + 1]; }
};

// What an adjustment does to the balance. Amounts are stored positive; fee
// and interest raise the balance, credit and write-off lower it.
enum class AdjustmentKind : std::uint8_t { Fee, Interest, Credit, WriteOff };

// "fee", "interest", "credit", "write_off" (as in adjustments.csv).
std::string_view AdjustmentKindName(AdjustmentKind kind);

// A resolved date that never came: the dispute is still open.
inline constexpr Date kStillOpen = Date::FromDays(std::numeric_limits<std::int32_t>::max());

struct InvoiceColumns {
  std::vector<std::uint32_t> customer;  // index into CustomerColumns
  std::vector<Date> issue_date;
  std::vector<Date> due_date;
  std::vector<std::int64_t> amount_minor;  // in the invoice's currency; negative = credit note
  std::vector<CurrencyId> currency;
  AttributeColumns attributes;
  std::size_t size() const { return customer.size(); }
  bool IsCreditNote(std::uint32_t invoice) const { return amount_minor[invoice] < 0; }
};

struct CustomerColumns {
  std::vector<StringPool::Id> segment;  // id into Ledger::texts; "" when not given
  AttributeColumns attributes;
  std::size_t size() const { return segment.size(); }
};

// Payments, in the invoice's currency, amount > 0.
struct PaymentColumns {
  EventRanges ranges;
  std::vector<Date> date;
  std::vector<std::int64_t> amount_minor;
};

struct AdjustmentColumns {
  EventRanges ranges;
  std::vector<Date> date;
  std::vector<std::int64_t> amount_minor;  // > 0, direction from kind
  std::vector<AdjustmentKind> kind;
};

struct DisputeColumns {
  EventRanges ranges;
  std::vector<Date> opened;
  std::vector<Date> resolved;  // kStillOpen when the dispute is open
};

struct PromiseColumns {
  EventRanges ranges;
  std::vector<Date> made;
  std::vector<Date> promised;
};

// The historical dunning log: what was done to an invoice and when.
struct ActionColumns {
  EventRanges ranges;
  std::vector<Date> date;
  std::vector<StringPool::Id> action;  // id into Ledger::texts ("email", "call"...)
};

// A whole ledger folder, validated. Invoice i has the id
// invoice_ids.Get(i); customer c has customer_ids.Get(c).
struct Ledger {
  StringPool invoice_ids;
  StringPool customer_ids;
  StringPool texts;  // segments, action names, attribute values
  InvoiceColumns invoices;
  CustomerColumns customers;
  PaymentColumns payments;
  AdjustmentColumns adjustments;
  DisputeColumns disputes;
  PromiseColumns promises;
  ActionColumns actions;

  // Heap bytes held by every column and pool (capacity, not size), for the
  // memory budget: well under 200 bytes per invoice.
  std::size_t MemoryBytes() const;
};

}  // namespace recoup::runtime
