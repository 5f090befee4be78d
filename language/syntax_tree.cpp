#include "language/syntax_tree.h"

namespace recoup::language {

const char* ActionKindName(ActionKind kind) {
  switch (kind) {
    case ActionKind::Email: return "email";
    case ActionKind::Sms: return "sms";
    case ActionKind::Letter: return "letter";
    case ActionKind::Call: return "call";
    case ActionKind::Notice: return "notice";
    case ActionKind::Task: return "task";
    case ActionKind::Fee: return "fee";
    case ActionKind::Interest: return "interest";
    case ActionKind::SuspendService: return "suspend service";
    case ActionKind::ResumeService: return "resume service";
    case ActionKind::HoldCredit: return "hold credit";
    case ActionKind::ReleaseCredit: return "release credit";
    case ActionKind::Agency: return "agency";
    case ActionKind::Legal: return "legal";
    case ActionKind::WriteOff: return "write off";
  }
  return "?";
}

const char* TypeNameSpelling(TypeName type) {
  switch (type) {
    case TypeName::Money: return "money";
    case TypeName::Percent: return "percent";
    case TypeName::Rate: return "rate";
    case TypeName::Duration: return "duration";
    case TypeName::Date: return "date";
    case TypeName::Count: return "count";
    case TypeName::Number: return "number";
    case TypeName::Bool: return "bool";
    case TypeName::Text: return "text";
  }
  return "?";
}

}  // namespace recoup::language
