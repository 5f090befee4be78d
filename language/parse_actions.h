// All the grammar's actions: the PEGTL Action template and its
// specialisations, which build the SyntaxTree while the text is matched.
// Internal to the parser; included by parser.cpp only.
#pragma once

#include "language/parse_actions_anchors.h"
#include "language/parse_actions_blocks.h"
#include "language/parse_actions_expressions.h"
#include "language/parse_actions_header.h"
#include "language/parse_actions_statements.h"
#include "language/parse_actions_triggers.h"
