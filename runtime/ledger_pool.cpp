// The string pool behind every text column, and the ledger's memory count.
#include <cstring>

#include "runtime/ledger.h"

namespace recoup::runtime {
namespace {

// A fast 64-bit hash of short strings, eight bytes at a time (a
// multiply-xorshift mix; not cryptographic, deterministic across runs).
std::uint64_t HashText(std::string_view text) {
  constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
  std::uint64_t hash = 0xCBF29CE484222325ull ^ (text.size() * kMultiplier);
  std::size_t position = 0;
  for (; position + 8 <= text.size(); position += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + position, 8);
    hash = (hash ^ word) * kMultiplier;
    hash ^= hash >> 29;
  }
  std::uint64_t tail = 0;
  if (position < text.size()) std::memcpy(&tail, text.data() + position, text.size() - position);
  hash = (hash ^ tail) * kMultiplier;
  hash ^= hash >> 32;
  hash *= 0xD6E8FEB86659FD93ull;
  hash ^= hash >> 32;
  return hash;
}

template <typename T>
std::size_t CapacityBytes(const std::vector<T>& values) {
  return values.capacity() * sizeof(T);
}

std::size_t AttributeBytes(const AttributeColumns& attributes) {
  std::size_t bytes = CapacityBytes(attributes.names) + CapacityBytes(attributes.values);
  for (const auto& column : attributes.values) bytes += CapacityBytes(column);
  for (const auto& name : attributes.names) bytes += name.capacity();
  return bytes;
}

}  // namespace

// A slot holds (tag << 32) | (id + 1), 0 being empty, where the tag is the
// hash's upper half and also picks the home slot. Comparing tags keeps most
// probes inside the slot array, and growing needs no string at all.
std::size_t StringPool::Slot(std::string_view text, std::uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  const std::uint64_t tag = hash >> 32;
  std::size_t slot = static_cast<std::size_t>(tag) & mask;
  for (;; slot = (slot + 1) & mask) {
    std::uint64_t entry = slots_[slot];
    if (entry == 0) return slot;
    if ((entry >> 32) == tag && Get(static_cast<Id>(entry & 0xFFFFFFFFu) - 1) == text) return slot;
  }
}

void StringPool::Grow() {
  std::vector<std::uint64_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
  const std::size_t mask = slots_.size() - 1;
  for (std::uint64_t entry : old) {
    if (entry == 0) continue;
    std::size_t slot = static_cast<std::size_t>(entry >> 32) & mask;
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = entry;
  }
}

std::pair<StringPool::Id, bool> StringPool::Intern(std::string_view text) {
  // Grow at 70% full: the tags keep longer probe runs cheap.
  if ((ends_.size() + 1) * 10 > slots_.size() * 7) Grow();
  const std::uint64_t hash = HashText(text);
  std::size_t slot = Slot(text, hash);
  if (slots_[slot] != 0) return {static_cast<Id>(slots_[slot] & 0xFFFFFFFFu) - 1, false};
  bytes_.append(text);
  ends_.push_back(static_cast<std::uint32_t>(bytes_.size()));
  Id id = static_cast<Id>(ends_.size() - 1);
  slots_[slot] = ((hash >> 32) << 32) | (static_cast<std::uint64_t>(id) + 1);
  return {id, true};
}

std::optional<StringPool::Id> StringPool::Find(std::string_view text) const {
  if (slots_.empty()) return std::nullopt;
  std::size_t slot = Slot(text, HashText(text));
  if (slots_[slot] == 0) return std::nullopt;
  return static_cast<Id>(slots_[slot] & 0xFFFFFFFFu) - 1;
}

void StringPool::Reserve(std::size_t count, std::size_t bytes) {
  bytes_.reserve(bytes_.size() + bytes);
  ends_.reserve(ends_.size() + count);
  while ((ends_.size() + count) * 10 > slots_.size() * 7) Grow();
}

void StringPool::PrefetchSlot(std::string_view text) const {
  if (slots_.empty()) return;
  __builtin_prefetch(&slots_[static_cast<std::size_t>(HashText(text) >> 32) & (slots_.size() - 1)]);
}

std::optional<StringPool::Id> StringPool::Candidate(std::string_view text) const {
  if (slots_.empty()) return std::nullopt;
  const std::size_t mask = slots_.size() - 1;
  const std::uint64_t tag = HashText(text) >> 32;
  for (std::size_t slot = static_cast<std::size_t>(tag) & mask;; slot = (slot + 1) & mask) {
    std::uint64_t entry = slots_[slot];
    if (entry == 0) return std::nullopt;
    if ((entry >> 32) == tag) return static_cast<Id>(entry & 0xFFFFFFFFu) - 1;
  }
}

std::size_t StringPool::MemoryBytes() const { return bytes_.capacity() + CapacityBytes(ends_) + CapacityBytes(slots_); }

void StringPool::ShrinkToFit() {
  bytes_.shrink_to_fit();
  ends_.shrink_to_fit();
}

std::optional<std::size_t> AttributeColumns::Find(std::string_view name) const {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  return std::nullopt;
}

std::string_view AdjustmentKindName(AdjustmentKind kind) {
  switch (kind) {
    case AdjustmentKind::Fee:
      return "fee";
    case AdjustmentKind::Interest:
      return "interest";
    case AdjustmentKind::Credit:
      return "credit";
    case AdjustmentKind::WriteOff:
      return "write_off";
  }
  return "fee";
}

std::size_t Ledger::MemoryBytes() const {
  std::size_t bytes = invoice_ids.MemoryBytes() + customer_ids.MemoryBytes() + texts.MemoryBytes();
  bytes += CapacityBytes(invoices.customer) + CapacityBytes(invoices.issue_date) + CapacityBytes(invoices.due_date) +
           CapacityBytes(invoices.amount_minor) + CapacityBytes(invoices.currency) +
           AttributeBytes(invoices.attributes);
  bytes += CapacityBytes(customers.segment) + AttributeBytes(customers.attributes);
  bytes += CapacityBytes(payments.ranges.offsets) + CapacityBytes(payments.date) + CapacityBytes(payments.amount_minor);
  bytes += CapacityBytes(adjustments.ranges.offsets) + CapacityBytes(adjustments.date) +
           CapacityBytes(adjustments.amount_minor) + CapacityBytes(adjustments.kind);
  bytes += CapacityBytes(disputes.ranges.offsets) + CapacityBytes(disputes.opened) + CapacityBytes(disputes.resolved);
  bytes += CapacityBytes(promises.ranges.offsets) + CapacityBytes(promises.made) + CapacityBytes(promises.promised);
  bytes += CapacityBytes(actions.ranges.offsets) + CapacityBytes(actions.date) + CapacityBytes(actions.action);
  return bytes;
}

}  // namespace recoup::runtime
