// The checker's working state, shared by the files that each do one job:
// checker.cpp (the order of the passes), scope.cpp (names and definitions),
// types.cpp (unit rules), constant_folding.cpp (exact arithmetic on
// constants), expressions.cpp and leaves.cpp (typing expressions into IR
// nodes), header.cpp (header lines, calendars, cost tables), steps.cpp
// (steps, triggers, actions), templates.cpp (expansion), policy_tests.cpp
// (tests inside the policy), step_analysis.cpp (labels, cycles, warnings).
// Not part of the compiler's interface: only checker.h is.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "compiler/checker.h"
#include "compiler/policy_ir.h"
#include "compiler/program.h"
#include "language/diagnostics.h"
#include "language/syntax_tree.h"

namespace recoup::compiler::internal {

using language::DiagnosticKind;
using language::SourceRange;

// A value while it is being checked: an error (already reported), a
// folded constant, a runtime expression (an IR node), or a symbolic value
// (a template parameter checked before it has a value).
struct Operand {
  ValueType type;                 // Type::Error: reported already, stay quiet
  std::optional<Value> value;     // a folded constant (not a list)
  std::vector<Value> list;        // a constant list, when type.is_list
  ExpressionId node = kNoId;      // runtime: the IR node
  bool runtime = false;           // depends on invoice, customer, today or fired()
  bool symbolic = false;          // depends on a template parameter without a value
  SourceRange runtime_leaf;       // runtime: the first leaf that made it so
  std::string runtime_what;       // runtime: "invoice.amount", "today"...

  bool IsError() const { return type.type == Type::Error; }
  bool IsConstant() const { return !IsError() && !runtime && !symbolic; }
  static Operand Error() { return Operand{}; }
};

// The result of a unit rule or a fold: a type or value, or a diagnostic.
struct RuleResult {
  ValueType type;
  bool ok = true;
  DiagnosticKind error = DiagnosticKind::UnitMismatch;
  std::string message;
  std::string help;
};

struct FoldResult {
  std::optional<Value> value;
  DiagnosticKind error = DiagnosticKind::ArithmeticOverflow;
  std::string message;
};

// types.cpp
std::string DescribeType(const ValueType& type);  // "money (USD)", "a duration"
std::string DescribeType(Type type);               // "money", "a duration"
RuleResult BinaryRule(language::BinaryOperator op, const ValueType& left, const ValueType& right);
RuleResult UnaryRule(language::UnaryOperator op, const ValueType& operand);
ValueType TypeFromName(language::TypeName name, std::optional<runtime::CurrencyId> currency);
bool SameValueType(const ValueType& a, const ValueType& b);  // money: same currency or any

// leaves.cpp
bool IsBuiltinField(language::FieldObject object, const std::string& name);

// constant_folding.cpp
FoldResult FoldBinary(language::BinaryOperator op, const Value& left, const Value& right, const ValueType& result);
FoldResult FoldUnary(language::UnaryOperator op, const Value& operand);
FoldResult FoldPerYear(const Value& percent);
bool ValuesEqual(const Value& a, const Value& b);
std::string ValueToString(const Value& value);
std::string DurationToString(Duration duration);
// Largest duration accepted, in days (about ten thousand years).
inline constexpr std::int64_t kMaxDurationDays = 3'650'000;
// Deepest chain of constants defined through each other (protects the stack).
inline constexpr int kMaxConstantDepth = 1000;

enum class DefinitionKind : std::uint8_t { Constant, Calendar, CostTable, Template };

// One named definition of one file.
struct Definition {
  DefinitionKind kind = DefinitionKind::Constant;
  std::uint32_t tree = 0;
  std::uint32_t index = 0;  // into that tree's constants/calendars/cost_tables/templates
  std::string name;
  SourceRange range;        // the name
  bool used = false;
};

// What names a file sees: its own definitions, those of plain imports, and
// aliased imports under their alias.
struct FileScope {
  std::map<std::string, std::uint32_t> own;         // name -> definition id
  std::vector<std::uint32_t> plain_imports;         // tree indexes, in import order
  std::map<std::string, std::uint32_t> aliases;     // alias -> tree index
};

// A label used before the steps are all known: resolved by step analysis.
struct PendingLabel {
  enum class Use : std::uint8_t { Anchor, Fired } use = Use::Anchor;
  std::uint32_t id = 0;  // AnchorId or ExpressionId in the policy IR
  std::string label;
  SourceRange range;
  std::vector<SourceRange> expanded_from;
};

// Template parameters with their values (or symbolic, for the generic check).
struct Bindings {
  std::map<std::string, Operand> values;
};

// Where an expression or a body is being checked.
struct Context {
  std::uint32_t tree = 0;              // whose names are in scope
  bool policy = false;                 // money must be in the policy currency
  bool generic = false;                // a template body checked without argument values
  const Bindings* bindings = nullptr;  // template parameters, or none
  std::vector<SourceRange> expanded_from;  // enclosing `use` lines, innermost first
  std::vector<std::uint32_t> template_stack;  // templates being expanded (definition ids)
};

struct ConstantState {
  enum class Stage : std::uint8_t { NotStarted, InProgress, Done } stage = Stage::NotStarted;
  Operand result;
};

struct TemplateState {
  bool recursive = false;  // part of a cycle of uses: never expanded
  // Diagnostics the generic check reported, so an expansion does not repeat them.
  std::set<std::tuple<int, language::FileId, std::uint32_t, std::uint32_t, std::string>> generic_keys;
};

struct CalendarState {
  bool done = false;
  std::optional<CalendarData> data;
};

struct CostValue {
  ActionKind action;
  runtime::Money money;
  SourceRange range;
};

class Checker {
 public:
  Checker(const Program& program, const language::SourceSet& sources, language::DiagnosticList& diagnostics);
  CheckResult Run();

  // --- reporting (checker.cpp)
  language::Diagnostic& Report(DiagnosticKind kind, SourceRange range, std::string message);
  std::uint32_t LineOf(SourceRange range) const;

  // --- names (scope.cpp)
  void BuildScopes();
  void CollectAttributes();
  // Finds a definition by name from a file; reports E0101 when not found.
  // Whether a statement of `tree` (or of a file it imports without a
  // name) that the parser could not read would have defined `name`: its
  // uses are then not reported again as unknown.
  bool DefinedByUnparsedStatement(std::uint32_t tree, const std::string& name) const;
  std::optional<std::uint32_t> Lookup(std::uint32_t tree, const language::Name& name, const Bindings* bindings,
                                      const char* what);
  std::vector<std::string> NamesInScope(std::uint32_t tree, const Bindings* bindings) const;
  const char* KindSpelling(DefinitionKind kind) const;
  void ReportUnused();

  // --- expressions (expressions.cpp, leaves.cpp)
  Operand CheckExpression(const Context& context, language::ExpressionId id, PolicyIr& out, int depth = 0);
  // Literals, names, fields, today and fired() (leaves.cpp).
  Operand CheckLeaf(const Context& context, const language::Expression& expression, PolicyIr& out);
  // In a policy's own body, money other than the policy currency is E0115 (and an error operand).
  Operand CheckPolicyCurrency(const Context& context, Operand operand, SourceRange range);
  std::string TextOf(SourceRange range) const;
  ExpressionId Materialize(const Operand& operand, SourceRange range, PolicyIr& out);
  Operand EvaluateConstant(std::uint32_t definition);
  // Checks an expression that must fold to a constant of `expected` type;
  // reports and returns nothing otherwise (also nothing, quietly, when symbolic).
  std::optional<Value> ConstantOfType(const Context& context, language::ExpressionId id, Type expected,
                                      const char* what, PolicyIr& out, bool* symbolic = nullptr);
  // The checks of ConstantOfType on an operand already checked.
  std::optional<Value> ConstantFrom(const Operand& operand, SourceRange range, Type expected, const char* what,
                                    bool* symbolic = nullptr);
  const language::SyntaxTree& TreeOf(const Context& context) const { return program_.trees[context.tree]; }

  // --- header, calendars, cost tables (header.cpp)
  void CheckHeader();
  // `payments settle fees, interest, principal`: each part once (E0116).
  void CheckSettlementOrder(const language::HeaderLine& line);
  std::optional<CalendarData> ResolveCalendar(std::uint32_t definition);
  // Folds a cost table's entries, reporting bad and repeated ones.
  std::vector<CostValue> EvaluateCostEntries(std::uint32_t tree, const std::vector<language::CostEntry>& entries);
  // Writes costs into the header's table; other currencies are E0115 unless converted.
  void ApplyCosts(const std::vector<CostValue>& costs, bool convert_currency);
  void CheckAppliesTo();

  // --- steps (steps.cpp)
  void LowerBody(const Context& context, const language::Body& body, PolicyIr& out);
  void LowerStep(const Context& context, const language::Step& step, PolicyIr& out);
  // A step guard or stop condition: a bool expression id (negated for
  // `unless`), a Literal when it folds, kNoId on error.
  ExpressionId LowerCondition(const Context& context, language::ExpressionId id, bool negate, const char* what,
                              PolicyIr& out);
  AnchorId LowerAnchor(const Context& context, language::AnchorId id, PolicyIr& out, int depth = 0);
  std::optional<Action> LowerAction(const Context& context, const language::Action& action, PolicyIr& out);
  std::optional<Duration> ConstantDuration(const Context& context, language::ExpressionId id, const char* what,
                                           PolicyIr& out);

  // --- templates (templates.cpp)
  void FindTemplateRecursion();
  void CheckTemplatesGenerically();
  void ExpandUse(const Context& context, const language::Use& use, PolicyIr& out);

  // --- tests (policy_tests.cpp)
  void CheckTests();
  std::optional<FieldSetting> ResolveTestField(const Context& context, language::FieldObject object,
                                               const language::FieldValue& given);
  std::optional<runtime::Date> ResolveTestDate(const Context& context, const language::TestDate& when,
                                               const PolicyTest& test, const runtime::BusinessCalendar& calendar);

  // --- step analysis (step_analysis.cpp)
  void AnalyseSteps();

  // State, shared by the passes.
  const Program& program_;
  const language::SourceSet& sources_;
  language::DiagnosticList& diagnostics_;
  language::DiagnosticList* sink_;

  PolicyIr ir_;
  PolicyIr scratch_;  // nodes of expressions that are not kept (constants, generic checks)
  std::optional<runtime::CurrencyId> policy_currency_;
  bool is_policy_ = false;
  std::optional<bool> applies_constant_;  // `applies to` folded to a constant
  SourceRange applies_range_;

  std::vector<Definition> definitions_;
  std::vector<FileScope> scopes_;
  std::vector<ConstantState> constants_;  // by definition id
  std::vector<TemplateState> templates_;  // by definition id
  std::vector<CalendarState> calendars_;  // by definition id
  std::map<std::pair<int, std::string>, AttributeId> attribute_index_;  // (object, name)
  std::vector<bool> attribute_used_;      // by AttributeId
  std::vector<std::uint32_t> attribute_tree_;  // by AttributeId: the declaring file
  std::vector<SourceRange> attribute_name_ranges_;  // by AttributeId
  std::vector<bool> incomplete_scope_;    // by tree: an import of it failed to load
  std::vector<PendingLabel> pending_labels_;
  std::vector<StepId> guard_failed_steps_;  // policy steps with a guard that did not check (an error said why)
  int constant_depth_ = 0;  // constants being evaluated inside each other
  std::vector<std::vector<std::uint32_t>> definitions_of_tree_;
};

}  // namespace recoup::compiler::internal
