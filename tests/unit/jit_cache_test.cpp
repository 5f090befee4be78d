// The JIT's on-disk object cache: a second compile of an unchanged policy
// loads the object without running LLVM's optimiser; a corrupt, truncated
// or foreign entry is refused, rebuilt and rewritten, and the rebuilt code
// gives the same answers.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "compiler/jit/compiled_policy.h"
#include "compiler/jit/object_cache.h"
#include "tests/unit/check_policy_text.h"

namespace recoup::compiler::jit {
namespace {

namespace fs = std::filesystem;

const char* kPolicy = R"(
policy "cached"
currency USD
at due + 1d: email "a" if invoice.balance > 100 USD and invoice.days_past_due >= 3
)";

// A fresh folder under the system's temporary folder, removed afterwards.
struct TemporaryFolder {
  TemporaryFolder() {
    std::random_device device;
    path = fs::temp_directory_path() / ("recoup-jit-cache-test-" + std::to_string(device()));
    fs::remove_all(path);
  }
  ~TemporaryFolder() { fs::remove_all(path); }
  fs::path path;
};

std::string ReadFile(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream contents;
  contents << stream.rdbuf();
  return contents.str();
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream stream(path, std::ios::binary | std::ios::trunc);
  stream << bytes;
}

// The compiled guard's answer for a balance of `balance` minor units, 5 days past due.
int Answer(const CompiledPolicy& policy, std::int64_t balance) {
  RecoupExpressionInputs inputs{};
  inputs.has_invoice = 1;
  inputs.today = 1005;
  inputs.invoice_due = 1000;
  inputs.invoice_balance = balance;
  std::uint8_t result = 0;
  if (policy.Guard(0)(&inputs, &result) != kRecoupStatusOk) return -1;
  return result;
}

TEST_CASE("jit cache: the second compile loads the object and skips the optimiser") {
  PolicyIr policy = testing::CheckPolicyText(kPolicy);
  TemporaryFolder folder;
  JitOptions options{folder.path.string()};

  CompileResult first = CompilePolicy(policy, options);
  REQUIRE(first.policy);
  CHECK(first.report.optimised);
  CHECK_FALSE(first.report.loaded_from_cache);
  CHECK(first.report.cache_written);
  CHECK(fs::exists(first.report.cache_path));

  CompileResult second = CompilePolicy(policy, options);
  REQUIRE(second.policy);
  CHECK(second.report.loaded_from_cache);
  CHECK_FALSE(second.report.optimised);
  CHECK(second.report.cache_rejected.empty());
  CHECK(Answer(*second.policy, 10001) == 1);
  CHECK(Answer(*second.policy, 10000) == 0);
}

// The quick tier first: CompilePolicy returns with the quick code linked
// (never cached), the optimised code follows on a thread, is written to
// the cache and replaces it; both give the same answers; the next compile
// of the policy is a cache hit with no quick tier.
TEST_CASE("jit cache: the quick tier runs first, the optimised tier replaces it and is cached") {
  PolicyIr policy = testing::CheckPolicyText(kPolicy);
  TemporaryFolder folder;
  JitOptions options{folder.path.string(), JitTiers::QuickThenOptimised};

  CompileResult first = CompilePolicy(policy, options);
  REQUIRE(first.policy);
  CHECK(first.report.quick);
  CHECK_FALSE(first.report.optimised);
  CHECK_FALSE(first.report.loaded_from_cache);
  CHECK_FALSE(first.report.cache_written);
  // Whichever tier is in place, the answers are the same.
  CHECK(Answer(*first.policy, 10001) == 1);
  CHECK(Answer(*first.policy, 10000) == 0);
  CompileReport behind = first.policy->WaitUntilOptimised();
  CHECK(behind.error.empty());
  CHECK(behind.optimised);
  CHECK(behind.cache_written);
  CHECK(first.policy->Optimised());
  CHECK(fs::exists(behind.cache_path));
  CHECK(behind.cache_path == first.report.cache_path);
  CHECK(Answer(*first.policy, 10001) == 1);
  CHECK(Answer(*first.policy, 10000) == 0);

  CompileResult second = CompilePolicy(policy, options);
  REQUIRE(second.policy);
  CHECK(second.report.loaded_from_cache);
  CHECK_FALSE(second.report.quick);
  CHECK(second.policy->Optimised());
  CHECK(second.policy->WaitUntilOptimised().loaded_from_cache);
  CHECK(Answer(*second.policy, 10001) == 1);
}

TEST_CASE("jit cache: the quick tier alone is never cached nor replaced") {
  PolicyIr policy = testing::CheckPolicyText(kPolicy);
  TemporaryFolder folder;
  CompileResult quick = CompilePolicy(policy, JitOptions{folder.path.string(), JitTiers::Quick});
  REQUIRE(quick.policy);
  CHECK(quick.report.quick);
  CHECK_FALSE(quick.policy->Optimised());
  CHECK_FALSE(quick.policy->WaitUntilOptimised().cache_written);
  CHECK_FALSE(quick.policy->Optimised());
  CHECK_FALSE(fs::exists(folder.path));
  CHECK(Answer(*quick.policy, 10001) == 1);
  CHECK(Answer(*quick.policy, 10000) == 0);
}

// Destroying a policy while its optimised tier is still compiling waits
// for it; nothing is left running or linked.
TEST_CASE("jit cache: a policy destroyed before its optimised tier is ready") {
  PolicyIr policy = testing::CheckPolicyText(kPolicy);
  for (int round = 0; round < 3; ++round) {
    CompileResult compiled = CompilePolicy(policy, JitOptions{"", JitTiers::QuickThenOptimised});
    REQUIRE(compiled.policy);
    CHECK(Answer(*compiled.policy, 10001) == 1);
  }
}

TEST_CASE("jit cache: a changed policy gets a different entry") {
  PolicyIr policy = testing::CheckPolicyText(kPolicy);
  PolicyIr changed = testing::CheckPolicyText(R"(
policy "cached"
currency USD
at due + 1d: email "a" if invoice.balance > 200 USD and invoice.days_past_due >= 3
)");
  CHECK(CacheKeyText(policy) != CacheKeyText(changed));
  CHECK(CacheKeyText(policy) == CacheKeyText(testing::CheckPolicyText(kPolicy)));
  TemporaryFolder folder;
  JitOptions options{folder.path.string()};
  REQUIRE(CompilePolicy(policy, options).policy);
  CompileResult other = CompilePolicy(changed, options);
  REQUIRE(other.policy);
  CHECK_FALSE(other.report.loaded_from_cache);
  CHECK(Answer(*other.policy, 15000) == 0);
}

TEST_CASE("jit cache: corrupt and truncated entries are refused, rebuilt and rewritten") {
  PolicyIr policy = testing::CheckPolicyText(kPolicy);
  TemporaryFolder folder;
  JitOptions options{folder.path.string()};
  CompileResult first = CompilePolicy(policy, options);
  REQUIRE(first.policy);
  const std::string path = first.report.cache_path;
  const std::string good = ReadFile(path);
  REQUIRE(good.size() > 200);

  struct Damage {
    const char* name;
    std::string bytes;
    const char* reason;
  };
  std::string flipped = good;
  flipped[good.size() - 7] = static_cast<char>(flipped[good.size() - 7] ^ 0x5A);
  std::string bad_magic = good;
  bad_magic[0] = 'X';
  std::string other_key = good;
  other_key[10] = static_cast<char>(other_key[10] ^ 1);
  const Damage damages[] = {
      {"a flipped payload byte", flipped, "checksum mismatch"},
      {"a truncated payload", good.substr(0, good.size() / 2), "truncated or padded payload"},
      {"a truncated header", good.substr(0, 20), "truncated header"},
      {"an empty file", "", "truncated header"},
      {"a foreign file", bad_magic, "not a Recoup cache entry (bad magic)"},
      {"another key's entry", other_key, "key mismatch"},
      {"trailing garbage", good + "garbage", "truncated or padded payload"},
  };
  for (const Damage& damage : damages) {
    SECTION(damage.name) {
      WriteFile(path, damage.bytes);
      CompileResult rebuilt = CompilePolicy(policy, options);
      REQUIRE(rebuilt.policy);
      CHECK(rebuilt.report.cache_rejected == damage.reason);
      CHECK_FALSE(rebuilt.report.loaded_from_cache);
      CHECK(rebuilt.report.optimised);
      CHECK(rebuilt.report.cache_written);
      CHECK(ReadFile(path) == good);  // rewritten, byte for byte what a clean build writes
      CHECK(Answer(*rebuilt.policy, 10001) == 1);
      CHECK(Answer(*rebuilt.policy, 10000) == 0);
      CompileResult again = CompilePolicy(policy, options);
      CHECK(again.report.loaded_from_cache);
    }
  }
}

TEST_CASE("jit cache: entries round-trip and any damage is detected") {
  CacheKey key = Sha256("key");
  std::string object = "object bytes";
  std::string entry = EncodeCacheEntry(key, object);
  std::string problem;
  CHECK(DecodeCacheEntry(key, entry, &problem) == object);
  CHECK(problem.empty());
  for (std::size_t i = 0; i < entry.size(); ++i) {
    std::string damaged = entry;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
    INFO("byte " << i);
    CHECK_FALSE(DecodeCacheEntry(key, damaged, &problem).has_value());
  }
  CHECK_FALSE(DecodeCacheEntry(Sha256("other"), entry, &problem).has_value());
  CHECK(problem == "key mismatch");
}

TEST_CASE("jit cache: the default folder follows XDG_CACHE_HOME, then HOME") {
  CHECK(DefaultCacheDirectory("/x/cache", "/home/a") == "/x/cache/recoup");
  CHECK(DefaultCacheDirectory(nullptr, "/home/a") == "/home/a/.cache/recoup");
  CHECK(DefaultCacheDirectory("relative", "/home/a") == "/home/a/.cache/recoup");  // XDG says: ignore relative paths
  CHECK(DefaultCacheDirectory(nullptr, nullptr).empty());
  CHECK(DefaultCacheDirectory("", "").empty());
}

TEST_CASE("jit cache: an unwritable cache folder is a warning, not a failure") {
  PolicyIr policy = testing::CheckPolicyText(kPolicy);
  TemporaryFolder folder;
  fs::create_directories(folder.path);
  WriteFile((folder.path / "file").string(), "not a folder");
  CompileResult compiled = CompilePolicy(policy, JitOptions{(folder.path / "file").string()});
  REQUIRE(compiled.policy);
  CHECK_FALSE(compiled.report.cache_written);
  CHECK_FALSE(compiled.report.cache_warning.empty());
  CHECK(Answer(*compiled.policy, 10001) == 1);
}

}  // namespace
}  // namespace recoup::compiler::jit
