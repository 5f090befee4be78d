// Ledger loading benchmark: writes a synthetic ledger folder (a small
// deterministic generator; the real `recoup gen-ledger` comes later), then
// times LoadLedger on it and prints MB/s and the ledger's bytes per invoice.
//
//   recoup_bench_ledger_load [invoices=1000000] [repetitions=3]
//
// The files are read once into memory first, so the figure is the loader's
// own speed on one core; a second figure includes reading from the disk
// (page cache, in practice).
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "runtime/ledger_loader.h"

namespace {

using recoup::runtime::Date;
using recoup::runtime::FileContents;
using recoup::runtime::LedgerLoadResult;
using recoup::runtime::LedgerOptions;
using recoup::runtime::LoadLedger;
using recoup::runtime::ReadFileFromDisk;

// xorshift64*: deterministic for a seed, good enough for test data.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 2685821657736338717ull;
  }
  std::uint32_t Below(std::uint32_t limit) { return static_cast<std::uint32_t>(Next() % limit); }

 private:
  std::uint64_t state_;
};

void AppendAmount(std::string& out, std::int64_t cents) {
  out += std::to_string(cents / 100);
  out += '.';
  std::int64_t fraction = cents % 100;
  if (fraction < 10) out += '0';
  out += std::to_string(fraction);
}

// Writes invoices, customers, payments, adjustments, disputes and actions.
void Generate(const std::filesystem::path& folder, std::uint32_t invoice_count) {
  Random random(20260101);
  const std::uint32_t customer_count = std::max<std::uint32_t>(invoice_count / 20, 1);
  static constexpr const char* kSegments[] = {"strategic", "enterprise", "smb", "public"};
  static constexpr const char* kRegions[] = {"north", "south", "east", "west", "central"};
  static constexpr const char* kCurrencies[] = {"USD", "EUR", "GBP", "USD"};
  static constexpr const char* kActions[] = {"email", "letter", "call", "sms"};
  const Date start = *Date::ParseIso("2024-01-01");

  std::string customers = "customer_id,segment,country\n";
  for (std::uint32_t c = 0; c < customer_count; ++c) {
    customers += "CUST-" + std::to_string(100000 + c) + "," + kSegments[random.Below(4)] + "," +
                 (random.Below(2) ? "DE" : "US") + "\n";
  }
  std::string invoices = "invoice_id,customer_id,issue_date,due_date,amount,currency,region,po_number\n";
  std::string payments = "invoice_id,date,amount\n";
  std::string adjustments = "invoice_id,date,amount,kind\n";
  std::string disputes = "invoice_id,opened,resolved\n";
  std::string actions = "invoice_id,date,action\n";
  invoices.reserve(static_cast<std::size_t>(invoice_count) * 96);
  payments.reserve(static_cast<std::size_t>(invoice_count) * 36);
  // Payments are written in date order, as a bank export would be: the
  // loader cannot count on rows of one invoice coming together.
  std::vector<std::pair<std::int32_t, std::string>> payment_lines;
  for (std::uint32_t i = 0; i < invoice_count; ++i) {
    const std::string id = "INV-" + std::to_string(10000000 + i);
    const Date issue = start.AddDays(static_cast<std::int32_t>(random.Below(700)));
    const Date due = issue.AddDays(random.Below(3) == 0 ? 60 : 30);
    const std::int64_t cents = 5000 + static_cast<std::int64_t>(random.Below(2000000));
    invoices += id + ",CUST-" + std::to_string(100000 + random.Below(customer_count)) + "," + issue.ToIso() + "," +
                due.ToIso() + ",";
    AppendAmount(invoices, cents);
    invoices += std::string(",") + kCurrencies[random.Below(4)] + "," + kRegions[random.Below(5)] + ",PO-" +
                std::to_string(random.Below(1000000)) + "\n";
    const Date paid = due.AddDays(static_cast<std::int32_t>(random.Below(90)) - 20);
    auto add_payment = [&](Date date, std::int64_t amount) {
      std::string line = id + "," + date.ToIso() + ",";
      AppendAmount(line, amount);
      payment_lines.emplace_back(date.days(), std::move(line));
    };
    if (random.Below(10) < 2) {  // paid in two parts
      add_payment(paid, cents / 2);
      add_payment(paid.AddDays(15), cents - cents / 2);
    } else if (random.Below(20) != 0) {
      add_payment(paid, cents);
    }
    if (random.Below(20) == 0) adjustments += id + "," + due.AddDays(30).ToIso() + ",40.00,fee\n";
    if (random.Below(50) == 0) {
      disputes += id + "," + due.AddDays(5).ToIso() + "," + (random.Below(2) ? due.AddDays(25).ToIso() : "") + "\n";
    }
    if (paid > due) actions += id + "," + due.AddDays(7).ToIso() + "," + kActions[random.Below(4)] + "\n";
  }
  std::stable_sort(payment_lines.begin(), payment_lines.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [days, line] : payment_lines) payments += line + "\n";
  std::filesystem::create_directories(folder);
  auto write = [&](const char* name, const std::string& text) {
    std::ofstream(folder / name, std::ios::binary) << text;
  };
  write("customers.csv", customers);
  write("invoices.csv", invoices);
  write("payments.csv", payments);
  write("adjustments.csv", adjustments);
  write("disputes.csv", disputes);
  write("actions.csv", actions);
}

double Seconds(std::chrono::steady_clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

// CPU time of this thread: on a shared, busy machine the wall clock counts
// other processes' time too; the thread's CPU time is the one-core figure.
double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint32_t invoice_count =
      argc > 1 ? static_cast<std::uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 1000000;
  const int repetitions = argc > 2 ? std::atoi(argv[2]) : 3;
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() / ("recoup-ledger-bench-" + std::to_string(getpid()));
  std::printf("generating %u invoices in %s\n", invoice_count, folder.string().c_str());
  Generate(folder, invoice_count);

  std::map<std::string, FileContents> in_memory;
  for (const char* name : {"customers.csv", "invoices.csv", "payments.csv", "adjustments.csv", "disputes.csv",
                           "promises.csv", "actions.csv"}) {
    std::string path = (folder / name).string();
    in_memory[path] = ReadFileFromDisk(path);
  }
  auto from_memory = [&](const std::string& path) {
    auto found = in_memory.find(path);
    return found == in_memory.end() ? FileContents{} : found->second;
  };

  LedgerOptions options;
  double best_memory = 1e9, best_disk = 1e9, best_cpu = 1e9;
  std::size_t bytes = 0, ledger_bytes = 0, invoices = 0, payments = 0;
  for (int repetition = 0; repetition < repetitions; ++repetition) {
    auto begin = std::chrono::steady_clock::now();
    double cpu_begin = ThreadCpuSeconds();
    LedgerLoadResult result = LoadLedger(folder.string(), options, from_memory);
    double cpu_end = ThreadCpuSeconds();
    auto end = std::chrono::steady_clock::now();
    if (!result.ok()) {
      std::fprintf(stderr, "load failed:\n%s", RenderLedgerDiagnostics(result).c_str());
      return 1;
    }
    // The copy out of the map is part of the reader, not the loader: measure it apart.
    auto copy_begin = std::chrono::steady_clock::now();
    double copy_cpu_begin = ThreadCpuSeconds();
    for (const auto& [path, contents] : in_memory) from_memory(path);
    double copy_cpu_end = ThreadCpuSeconds();
    auto copy_end = std::chrono::steady_clock::now();
    best_memory = std::min(best_memory, Seconds(end - begin) - Seconds(copy_end - copy_begin));
    best_cpu = std::min(best_cpu, (cpu_end - cpu_begin) - (copy_cpu_end - copy_cpu_begin));
    bytes = result.bytes_read;
    ledger_bytes = result.ledger->MemoryBytes();
    invoices = result.ledger->invoices.size();
    payments = result.ledger->payments.date.size();

    begin = std::chrono::steady_clock::now();
    LedgerLoadResult disk = LoadLedger(folder.string(), options, ReadFileFromDisk);
    end = std::chrono::steady_clock::now();
    best_disk = std::min(best_disk, Seconds(end - begin));
  }
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  const double megabytes = static_cast<double>(bytes) / 1e6;
  std::printf("files: %.1f MB, %zu invoices, %zu payments\n", megabytes, invoices, payments);
  std::printf("load, wall clock: %.3f s, %.1f MB/s (best of %d)\n", best_memory, megabytes / best_memory, repetitions);
  std::printf("load, CPU time:   %.3f s, %.1f MB/s, %.0f invoices/s (best of %d; one core)\n", best_cpu,
              megabytes / best_cpu, static_cast<double>(invoices) / best_cpu, repetitions);
  std::printf("load from disk:   %.3f s, %.1f MB/s (best of %d)\n", best_disk, megabytes / best_disk, repetitions);
  std::printf("ledger in memory: %.1f MB, %.1f bytes per invoice (all tables and pools)\n",
              static_cast<double>(ledger_bytes) / 1e6,
              static_cast<double>(ledger_bytes) / static_cast<double>(invoices));
  std::printf("peak resident set: %.1f MB (includes the generator's strings)\n",
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  if (!std::getenv("RECOUP_BENCH_KEEP")) std::filesystem::remove_all(folder);
  return 0;
}
