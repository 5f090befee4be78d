#include "compiler/jit/expression_codegen.h"

#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>

#include <string>

#include "compiler/jit/expression_abi.h"
#include "runtime/currency.h"

namespace recoup::compiler::jit {
namespace {

// Field indexes of RecoupExpressionInputs in the LLVM struct type below.
enum InputField : unsigned {
  kToday, kInvoiceIssue, kInvoiceDue, kHasInvoice,
  kInvoiceAmount, kInvoiceBalance, kInvoicePrincipal, kOpenBalance, kOpenInvoices, kLatePayments,
  kInvoiceId, kInvoiceCurrency, kCustomerId, kCustomerSegment, kCustomerCountry,
  kFiredCounts, kAttributes, kCalendar, kFiredStride,
};

// Field indexes of RecoupAttributeValue.
enum AttributeField : unsigned { kAttributeStatus, kAttributeScale, kAttributeNumber, kAttributeText };

// A value during code generation; which members are set depends on `type`:
// Money: first (i64 minor). Percent, Rate, Count, Number: first (i64
// digits), second (i32 scale). Duration: first (i32 count), second (i8
// unit). Date: first (i32 day). Bool: first (i1). Text: first (ptr),
// second (i64 size).
struct CodeValue {
  Type type = Type::Error;
  llvm::Value* first = nullptr;
  llvm::Value* second = nullptr;
};

class ExpressionEmitter {
 public:
  ExpressionEmitter(const PolicyIr& policy, llvm::Module& module)
      : policy_(policy), module_(module), context_(module.getContext()), builder_(context_) {
    llvm::Type* i32 = builder_.getInt32Ty();
    llvm::Type* i64 = builder_.getInt64Ty();
    llvm::Type* ptr = builder_.getPtrTy();
    text_type_ = llvm::StructType::get(context_, {ptr, i64});
    inputs_type_ = llvm::StructType::get(context_, {i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, text_type_,
                                                    text_type_, text_type_, text_type_, text_type_, ptr, ptr, ptr, i64});
    attribute_type_ = llvm::StructType::get(context_, {i32, i32, i64, text_type_});
  }

  llvm::Function* Emit(ExpressionId expression, const std::string& name) {
    llvm::Type* i32 = builder_.getInt32Ty();
    llvm::Type* ptr = builder_.getPtrTy();
    auto* type = llvm::FunctionType::get(i32, {ptr, ptr}, false);
    function_ = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module_);
    function_->addFnAttr(llvm::Attribute::NoUnwind);
    function_->addFnAttr(llvm::Attribute::WillReturn);
    inputs_ = function_->getArg(0);
    llvm::Argument* result = function_->getArg(1);
    inputs_->addAttr(llvm::Attribute::NoAlias);
    inputs_->addAttr(llvm::Attribute::ReadOnly);
    result->addAttr(llvm::Attribute::NoAlias);

    llvm::BasicBlock* entry = llvm::BasicBlock::Create(context_, "entry", function_);
    failure_ = llvm::BasicBlock::Create(context_, "failure", function_);
    builder_.SetInsertPoint(failure_);
    failure_status_ = builder_.CreatePHI(i32, 4, "status");
    builder_.CreateRet(failure_status_);

    builder_.SetInsertPoint(entry);
    CodeValue value = Node(expression);
    builder_.CreateStore(builder_.CreateZExt(value.first, builder_.getInt8Ty()), result);
    builder_.CreateRet(builder_.getInt32(kRecoupStatusOk));
    if (failure_status_->getNumIncomingValues() == 0) {
      failure_status_->eraseFromParent();
      failure_->eraseFromParent();
    }
    return function_;
  }

 private:
  // Leaves to the failure block with `status` when `failed` is true.
  void FailIf(llvm::Value* failed, llvm::Value* status) {
    llvm::BasicBlock* next = llvm::BasicBlock::Create(context_, "ok", function_);
    failure_status_->addIncoming(status, builder_.GetInsertBlock());
    builder_.CreateCondBr(failed, failure_, next, llvm::MDBuilder(context_).createUnlikelyBranchWeights());
    builder_.SetInsertPoint(next);
  }

  void FailIfStatus(llvm::Value* status) { FailIf(builder_.CreateICmpNE(status, builder_.getInt32(0)), status); }

  llvm::Value* Load(InputField field) {
    llvm::Type* type = inputs_type_->getElementType(field);
    return builder_.CreateLoad(type, builder_.CreateStructGEP(inputs_type_, inputs_, field));
  }

  CodeValue LoadText(InputField field) {
    llvm::Value* address = builder_.CreateStructGEP(inputs_type_, inputs_, field);
    llvm::Value* data = builder_.CreateLoad(builder_.getPtrTy(), builder_.CreateStructGEP(text_type_, address, 0));
    llvm::Value* size = builder_.CreateLoad(builder_.getInt64Ty(), builder_.CreateStructGEP(text_type_, address, 1));
    return {Type::Text, data, size};
  }

  llvm::FunctionCallee Helper(const char* name, llvm::Type* result, llvm::ArrayRef<llvm::Type*> parameters) {
    auto* type = llvm::FunctionType::get(result, parameters, false);
    llvm::FunctionCallee callee = module_.getOrInsertFunction(name, type);
    if (auto* function = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
      function->addFnAttr(llvm::Attribute::NoUnwind);
    }
    return callee;
  }

  CodeValue Decimal(Type type, std::int64_t digits, std::uint8_t scale) {
    return {type, builder_.getInt64(digits), builder_.getInt32(scale)};
  }

  CodeValue Literal(const Value& value) {
    switch (value.type) {
      case Type::Money: return {Type::Money, builder_.getInt64(value.money.minor), nullptr};
      case Type::Percent:
      case Type::Rate:
      case Type::Count:
      case Type::Number: return Decimal(value.type, value.decimal.digits, value.decimal.scale);
      case Type::Duration:
        return {Type::Duration, builder_.getInt32(value.duration.count),
                builder_.getInt8(static_cast<std::uint8_t>(value.duration.unit))};
      case Type::Date: return {Type::Date, builder_.getInt32(value.date.days()), nullptr};
      case Type::Bool: return {Type::Bool, builder_.getInt1(value.boolean), nullptr};
      case Type::Text: {
        llvm::Constant* text = builder_.CreateGlobalStringPtr(value.text, "text", 0, &module_);
        return {Type::Text, text, builder_.getInt64(value.text.size())};
      }
      case Type::Error: break;
    }
    return {Type::Bool, builder_.getFalse(), nullptr};
  }

  CodeValue Field(compiler::Field field) {
    switch (field) {
      case Field::InvoiceId: return LoadText(kInvoiceId);
      case Field::InvoiceAmount: return {Type::Money, Load(kInvoiceAmount), nullptr};
      case Field::InvoiceBalance: return {Type::Money, Load(kInvoiceBalance), nullptr};
      case Field::InvoicePrincipal: return {Type::Money, Load(kInvoicePrincipal), nullptr};
      case Field::InvoiceDaysPastDue: {
        llvm::Value* days = builder_.CreateSExt(builder_.CreateSub(Load(kToday), Load(kInvoiceDue)), builder_.getInt64Ty());
        llvm::Value* has_invoice = builder_.CreateICmpNE(Load(kHasInvoice), builder_.getInt32(0));
        return {Type::Count, builder_.CreateSelect(has_invoice, days, builder_.getInt64(0)), builder_.getInt32(0)};
      }
      case Field::InvoiceCurrency: return LoadText(kInvoiceCurrency);
      case Field::InvoiceIssue: return {Type::Date, Load(kInvoiceIssue), nullptr};
      case Field::InvoiceDue: return {Type::Date, Load(kInvoiceDue), nullptr};
      case Field::CustomerId: return LoadText(kCustomerId);
      case Field::CustomerSegment: return LoadText(kCustomerSegment);
      case Field::CustomerCountry: return LoadText(kCustomerCountry);
      case Field::CustomerOpenBalance: return {Type::Money, Load(kOpenBalance), nullptr};
      case Field::CustomerOpenInvoices: return {Type::Count, Load(kOpenInvoices), builder_.getInt32(0)};
      case Field::CustomerLatePayments: return {Type::Count, Load(kLatePayments), builder_.getInt32(0)};
    }
    return {Type::Bool, builder_.getFalse(), nullptr};
  }

  CodeValue Attribute(AttributeId id) {
    llvm::Value* table = Load(kAttributes);
    llvm::Value* entry = builder_.CreateConstInBoundsGEP1_64(attribute_type_, table, id);
    auto field = [&](AttributeField index) {
      return builder_.CreateLoad(attribute_type_->getElementType(index),
                                 builder_.CreateStructGEP(attribute_type_, entry, index));
    };
    llvm::Value* status = field(kAttributeStatus);
    FailIf(builder_.CreateICmpNE(status, builder_.getInt32(0)),
           builder_.getInt32(kRecoupStatusAttribute + static_cast<std::int32_t>(id)));
    Type type = policy_.attributes.at(id).type.type;
    switch (type) {
      case Type::Money: return {Type::Money, field(kAttributeNumber), nullptr};
      case Type::Percent:
      case Type::Rate:
      case Type::Count:
      case Type::Number: return {type, field(kAttributeNumber), field(kAttributeScale)};
      case Type::Duration:
        return {Type::Duration, builder_.CreateTrunc(field(kAttributeNumber), builder_.getInt32Ty()),
                builder_.CreateTrunc(field(kAttributeScale), builder_.getInt8Ty())};
      case Type::Date: return {Type::Date, builder_.CreateTrunc(field(kAttributeNumber), builder_.getInt32Ty()), nullptr};
      case Type::Bool: return {Type::Bool, builder_.CreateICmpNE(field(kAttributeNumber), builder_.getInt64(0)), nullptr};
      case Type::Text: {
        llvm::Value* text = builder_.CreateStructGEP(attribute_type_, entry, kAttributeText);
        return {Type::Text, builder_.CreateLoad(builder_.getPtrTy(), builder_.CreateStructGEP(text_type_, text, 0)),
                builder_.CreateLoad(builder_.getInt64Ty(), builder_.CreateStructGEP(text_type_, text, 1))};
      }
      case Type::Error: break;
    }
    return {Type::Bool, builder_.getFalse(), nullptr};
  }

  // -1, 0 or 1 as i32, as interpreter CompareValues.
  llvm::Value* Compare(const CodeValue& left, const CodeValue& right) {
    llvm::Type* i32 = builder_.getInt32Ty();
    auto three_way = [&](llvm::Value* a, llvm::Value* b) {
      llvm::Value* less = builder_.CreateICmpSLT(a, b);
      llvm::Value* greater = builder_.CreateICmpSGT(a, b);
      return builder_.CreateSelect(less, builder_.getInt32(-1), builder_.CreateZExt(greater, i32));
    };
    switch (left.type) {
      case Type::Money:
      case Type::Date:
      case Type::Duration: return three_way(left.first, right.first);
      case Type::Bool:
        return builder_.CreateSub(builder_.CreateZExt(left.first, i32), builder_.CreateZExt(right.first, i32));
      case Type::Text: {
        llvm::Type* ptr = builder_.getPtrTy();
        llvm::Type* i64 = builder_.getInt64Ty();
        return builder_.CreateCall(Helper("recoup_text_compare", i32, {ptr, i64, ptr, i64}),
                                   {left.first, left.second, right.first, right.second});
      }
      default: {
        auto* left_scale = llvm::dyn_cast<llvm::ConstantInt>(left.second);
        auto* right_scale = llvm::dyn_cast<llvm::ConstantInt>(right.second);
        if (left_scale && right_scale && left_scale->getZExtValue() == right_scale->getZExtValue()) {
          return three_way(left.first, right.first);
        }
        llvm::Type* i64 = builder_.getInt64Ty();
        return builder_.CreateCall(Helper("recoup_decimal_compare", i32, {i64, i32, i64, i32}),
                                   {left.first, left.second, right.first, right.second});
      }
    }
  }

  CodeValue Bool(llvm::Value* value) { return {Type::Bool, value, nullptr}; }

  CodeValue Comparison(ExpressionKind kind, const CodeValue& left, const CodeValue& right) {
    llvm::Value* order = Compare(left, right);
    llvm::Value* zero = builder_.getInt32(0);
    switch (kind) {
      case ExpressionKind::Equal: return Bool(builder_.CreateICmpEQ(order, zero));
      case ExpressionKind::NotEqual: return Bool(builder_.CreateICmpNE(order, zero));
      case ExpressionKind::Less: return Bool(builder_.CreateICmpSLT(order, zero));
      case ExpressionKind::LessEqual: return Bool(builder_.CreateICmpSLE(order, zero));
      case ExpressionKind::Greater: return Bool(builder_.CreateICmpSGT(order, zero));
      default: return Bool(builder_.CreateICmpSGE(order, zero));
    }
  }

  // Checked i64 arithmetic: llvm.s{add,sub}.with.overflow, failing with
  // kRecoupStatusMoneyOverflow.
  llvm::Value* CheckedMoney(llvm::Intrinsic::ID intrinsic, llvm::Value* a, llvm::Value* b) {
    llvm::Value* pair = builder_.CreateBinaryIntrinsic(intrinsic, a, b);
    FailIf(builder_.CreateExtractValue(pair, 1), builder_.getInt32(kRecoupStatusMoneyOverflow));
    return builder_.CreateExtractValue(pair, 0);
  }

  // Calls a helper that returns a status and writes its results through
  // pointers to fresh stack slots; returns the loaded results.
  std::vector<llvm::Value*> CallWithOutputs(llvm::FunctionCallee callee, std::vector<llvm::Value*> arguments,
                                            llvm::ArrayRef<llvm::Type*> outputs) {
    std::vector<llvm::Value*> slots;
    {
      llvm::IRBuilder<> entry(&function_->getEntryBlock(), function_->getEntryBlock().begin());
      for (llvm::Type* type : outputs) slots.push_back(entry.CreateAlloca(type));
    }
    for (llvm::Value* slot : slots) arguments.push_back(slot);
    FailIfStatus(builder_.CreateCall(callee, arguments));
    std::vector<llvm::Value*> results;
    for (std::size_t i = 0; i < slots.size(); ++i) results.push_back(builder_.CreateLoad(outputs[i], slots[i]));
    return results;
  }

  CodeValue DecimalArithmetic(Type type, int operation, const CodeValue& left, const CodeValue& right) {
    llvm::Type* i32 = builder_.getInt32Ty();
    llvm::Type* i64 = builder_.getInt64Ty();
    llvm::Type* ptr = builder_.getPtrTy();
    std::vector<llvm::Value*> results = CallWithOutputs(
        Helper("recoup_decimal_arithmetic", i32, {i32, i64, i32, i64, i32, ptr, ptr}),
        {builder_.getInt32(operation), left.first, left.second, right.first, right.second}, {i64, i32});
    return {type, results[0], results[1]};
  }

  CodeValue ScaleMoney(llvm::Value* minor, const CodeValue& factor) {
    llvm::Type* i32 = builder_.getInt32Ty();
    llvm::Type* i64 = builder_.getInt64Ty();
    std::vector<llvm::Value*> results = CallWithOutputs(
        Helper("recoup_money_scale", i32, {i64, i64, i32, i32, builder_.getPtrTy()}),
        {minor, factor.first, factor.second, builder_.getInt32(factor.type == Type::Percent ? 1 : 0)}, {i64});
    return {Type::Money, results[0], nullptr};
  }

  CodeValue Arithmetic(const Expression& node, const CodeValue& left, const CodeValue& right) {
    bool add = node.kind == ExpressionKind::Add;
    llvm::Type* i32 = builder_.getInt32Ty();
    llvm::Type* i64 = builder_.getInt64Ty();
    llvm::Type* ptr = builder_.getPtrTy();
    switch (node.kind) {
      case ExpressionKind::Add:
      case ExpressionKind::Subtract:
        if (left.type == Type::Money) {
          return {Type::Money,
                  CheckedMoney(add ? llvm::Intrinsic::sadd_with_overflow : llvm::Intrinsic::ssub_with_overflow,
                               left.first, right.first),
                  nullptr};
        }
        if (left.type == Type::Date && right.type == Type::Duration) {
          llvm::Value* count = add ? right.first : builder_.CreateNeg(right.first);
          llvm::Value* calendar_days = builder_.CreateAdd(left.first, count);
          llvm::Value* business_days = nullptr;
          auto* unit = llvm::dyn_cast<llvm::ConstantInt>(right.second);
          auto business = static_cast<std::uint64_t>(DurationUnit::BusinessDays);
          if (unit && unit->getZExtValue() != business) return {Type::Date, calendar_days, nullptr};
          business_days = builder_.CreateCall(Helper("recoup_add_business_days", i32, {ptr, i32, i32}),
                                              {Load(kCalendar), left.first, count});
          if (unit) return {Type::Date, business_days, nullptr};
          llvm::Value* is_business = builder_.CreateICmpEQ(right.second, builder_.getInt8(business));
          return {Type::Date, builder_.CreateSelect(is_business, business_days, calendar_days), nullptr};
        }
        if (left.type == Type::Date && right.type == Type::Date) {
          return {Type::Duration, builder_.CreateSub(left.first, right.first),
                  builder_.getInt8(static_cast<std::uint8_t>(DurationUnit::Days))};
        }
        if (left.type == Type::Duration) {
          llvm::Value* count = add ? builder_.CreateAdd(left.first, right.first) : builder_.CreateSub(left.first, right.first);
          return {Type::Duration, count, left.second};
        }
        return DecimalArithmetic(node.type.type, add ? 0 : 1, left, right);
      case ExpressionKind::Multiply:
        if (left.type == Type::Money) return ScaleMoney(left.first, right);
        if (right.type == Type::Money) return ScaleMoney(right.first, left);
        return DecimalArithmetic(node.type.type, 2, left, right);
      case ExpressionKind::Divide: {
        if (left.type == Type::Money && right.type == Type::Money) {
          auto exponent = static_cast<std::int32_t>(runtime::InfoOf(policy_.header.currency).exponent);
          std::vector<llvm::Value*> results =
              CallWithOutputs(Helper("recoup_money_ratio", i32, {i64, i64, i32, ptr, ptr}),
                              {left.first, right.first, builder_.getInt32(exponent)}, {i64, i32});
          return {Type::Number, results[0], results[1]};
        }
        if (left.type == Type::Money) {
          std::vector<llvm::Value*> results = CallWithOutputs(Helper("recoup_money_divide", i32, {i64, i64, i32, ptr}),
                                                              {left.first, right.first, right.second}, {i64});
          return {Type::Money, results[0], nullptr};
        }
        return DecimalArithmetic(node.type.type, 3, left, right);
      }
      case ExpressionKind::PercentOf: return ScaleMoney(right.first, left);
      default: break;
    }
    return {Type::Bool, builder_.getFalse(), nullptr};
  }

  // And/Or: the right side is evaluated only when the left does not decide.
  CodeValue ShortCircuit(const Expression& node) {
    CodeValue left = Node(node.left);
    bool is_and = node.kind == ExpressionKind::And;
    llvm::BasicBlock* left_end = builder_.GetInsertBlock();
    llvm::BasicBlock* right_block = llvm::BasicBlock::Create(context_, is_and ? "and.right" : "or.right", function_);
    llvm::BasicBlock* join = llvm::BasicBlock::Create(context_, "join", function_);
    if (is_and) builder_.CreateCondBr(left.first, right_block, join);
    else builder_.CreateCondBr(left.first, join, right_block);
    builder_.SetInsertPoint(right_block);
    CodeValue right = Node(node.right);
    llvm::BasicBlock* right_end = builder_.GetInsertBlock();
    builder_.CreateBr(join);
    builder_.SetInsertPoint(join);
    llvm::PHINode* phi = builder_.CreatePHI(builder_.getInt1Ty(), 2);
    phi->addIncoming(builder_.getInt1(!is_and), left_end);
    phi->addIncoming(right.first, right_end);
    return Bool(phi);
  }

  CodeValue Node(ExpressionId id) {
    const Expression& node = policy_.expression(id);
    switch (node.kind) {
      case ExpressionKind::Literal: return Literal(policy_.value(node.value));
      case ExpressionKind::Field: return Field(node.field);
      case ExpressionKind::Attribute: return Attribute(node.attribute);
      case ExpressionKind::Today: return {Type::Date, Load(kToday), nullptr};
      case ExpressionKind::Fired: {
        llvm::Value* counts = Load(kFiredCounts);
        llvm::Value* offset = builder_.CreateMul(Load(kFiredStride), builder_.getInt64(node.step));
        llvm::Value* address = builder_.CreateInBoundsGEP(builder_.getInt8Ty(), counts, offset);
        return {Type::Count, builder_.CreateLoad(builder_.getInt64Ty(), address), builder_.getInt32(0)};
      }
      case ExpressionKind::Not: return Bool(builder_.CreateNot(Node(node.left).first));
      case ExpressionKind::Negate: {
        CodeValue value = Node(node.left);
        if (value.type == Type::Money) {
          value.first = CheckedMoney(llvm::Intrinsic::ssub_with_overflow, builder_.getInt64(0), value.first);
        } else {
          value.first = builder_.CreateNeg(value.first);
        }
        return value;
      }
      case ExpressionKind::And:
      case ExpressionKind::Or: return ShortCircuit(node);
      case ExpressionKind::PerYear: {
        CodeValue value = Node(node.left);
        value.type = Type::Rate;
        return value;
      }
      case ExpressionKind::In: {
        CodeValue operand = Node(node.left);
        llvm::Value* found = builder_.getFalse();
        for (std::uint32_t i = 0; i < node.list_count; ++i) {
          CodeValue candidate = Literal(policy_.value(node.list_begin + i));
          found = builder_.CreateOr(found, builder_.CreateICmpEQ(Compare(operand, candidate), builder_.getInt32(0)));
        }
        return Bool(found);
      }
      default: break;
    }
    CodeValue left = Node(node.left);
    CodeValue right = Node(node.right);
    switch (node.kind) {
      case ExpressionKind::Equal:
      case ExpressionKind::NotEqual:
      case ExpressionKind::Less:
      case ExpressionKind::LessEqual:
      case ExpressionKind::Greater:
      case ExpressionKind::GreaterEqual: return Comparison(node.kind, left, right);
      default: return Arithmetic(node, left, right);
    }
  }

  const PolicyIr& policy_;
  llvm::Module& module_;
  llvm::LLVMContext& context_;
  llvm::IRBuilder<> builder_;
  llvm::StructType* text_type_ = nullptr;
  llvm::StructType* inputs_type_ = nullptr;
  llvm::StructType* attribute_type_ = nullptr;
  llvm::Function* function_ = nullptr;
  llvm::Argument* inputs_ = nullptr;
  llvm::BasicBlock* failure_ = nullptr;
  llvm::PHINode* failure_status_ = nullptr;
};

}  // namespace

std::string GuardFunctionName(StepId step) { return "recoup_guard_" + std::to_string(step); }
std::string StopFunctionName(std::uint32_t stop) { return "recoup_stop_" + std::to_string(stop); }
std::string AppliesToFunctionName() { return "recoup_applies_to"; }

llvm::Function* EmitBoolExpression(const PolicyIr& policy, ExpressionId expression, const std::string& name,
                                   llvm::Module& module) {
  return ExpressionEmitter(policy, module).Emit(expression, name);
}

void EmitPolicyExpressions(const PolicyIr& policy, llvm::Module& module) {
  for (StepId step = 0; step < policy.steps.size(); ++step) {
    if (policy.steps[step].guard != kNoId) EmitBoolExpression(policy, policy.steps[step].guard, GuardFunctionName(step), module);
  }
  for (std::uint32_t stop = 0; stop < policy.stops.size(); ++stop) {
    if (!policy.stops[stop].when_paid && policy.stops[stop].condition != kNoId) {
      EmitBoolExpression(policy, policy.stops[stop].condition, StopFunctionName(stop), module);
    }
  }
  if (policy.header.applies_to != kNoId) {
    EmitBoolExpression(policy, policy.header.applies_to, AppliesToFunctionName(), module);
  }
}

}  // namespace recoup::compiler::jit
