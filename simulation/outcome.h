// What a replay found for one invoice and one subject: the compact record
// kept of each interpreter run, small enough to hold for a chunk of
// subjects at a time and aggregated into metrics in subject order.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/policy_ir.h"
#include "runtime/date.h"

namespace recoup::simulation {

// Days past due at which "collected by" is measured (docs/metrics.md).
inline constexpr std::array<std::int32_t, 4> kCollectedByDays = {30, 60, 90, 180};

// One covered invoice at the end of its replay. Money is in minor units of
// the policy's currency.
struct InvoiceOutcome {
  std::uint32_t invoice = 0;  // ledger index
  runtime::Date issue, due, horizon;
  std::int64_t amount = 0;
  std::int64_t fees = 0;         // assessed by the policy
  std::int64_t interest = 0;     // assessed by the policy (posted by the horizon)
  std::int64_t collected = 0;    // cash received by the horizon (applied + unapplied)
  std::int64_t applied = 0;      // of which settled fees, interest or principal
  std::int64_t written_off = 0;
  std::int64_t open = 0;         // principal + fees + interest owed at the horizon
  std::array<std::int64_t, kCollectedByDays.size()> collected_by{};  // cash by due + N days
  std::optional<runtime::Date> settled_on;
  std::optional<runtime::Date> written_off_on;
  std::optional<runtime::Date> placed_on;
  std::int64_t recovered_after_placement = 0;  // applied after the placement day
  std::int64_t contingency_fee = 0;            // the agency's share of that
  // Principal weighted by days: each minor unit from issue (principal_days)
  // or from due (delinquent_days, never negative) to the day it was paid,
  // written off, or the horizon (DSO and average days delinquent).
  __int128 principal_days = 0;
  __int128 delinquent_days = 0;
  // What history did, not replayed: adjustments.csv and actions.csv.
  std::int64_t history_fees = 0;
  std::int64_t history_interest = 0;
  std::int64_t history_credits = 0;
  std::int64_t history_write_offs = 0;
  std::uint32_t history_actions = 0;
};

// Cash received on one invoice, by days past its due date (0 or less: on
// or before the due date); the recovery curve of docs/reports.md.
struct Collection {
  std::int32_t days_past_due = 0;
  std::int64_t amount = 0;
};

// One subject's replay: its invoices' outcomes and the actions taken.
// Reused from subject to subject: Reset in replay_subject.cpp clears each field.
struct SubjectOutcome {
  std::uint32_t customer = 0;  // ledger customer index
  std::vector<InvoiceOutcome> invoices;
  std::vector<std::uint32_t> not_covered;  // ledger indexes `applies to` left out
  std::array<std::uint32_t, compiler::kActionKindCount> actions{};  // by ActionKind
  std::int64_t contact_cost = 0;  // every action's cost from the policy's cost table
  std::array<std::int64_t, compiler::kActionKindCount> action_costs{};  // contact_cost by ActionKind
  std::uint32_t touches = 0;      // email, sms, letter, call and notice actions
  std::vector<Collection> collections;  // every payment by the horizon, in ledger order
  // The interpreter's error (an unreadable attribute, overflow), naming
  // the subject; the subject's figures are left out.
  std::optional<std::string> error;
  // Set when the interpreter's own conservation check failed: a bug.
  std::optional<std::string> conservation_failure;
};

}  // namespace recoup::simulation
