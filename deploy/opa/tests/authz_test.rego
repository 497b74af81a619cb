# Runs the shared decision table (decision_table/data.json, loaded by `opa test` as data.decision_table)
# against the policy; router/src/policy/decision-table.spec.ts runs the same table in jest against the
# embedded decision point.
package minishop.authz_test

import rego.v1

import data.minishop.authz

cases := data.decision_table.cases

# Cases without "data" use the bundle's data; cases with "data" exercise the generic semantics on data
# of their own.
decide(c) := result if {
	not c.data
	result := authz.decisions with input as c.input
}

decide(c) := result if {
	policies := c.data.policies
	grants := c.data.partner_grants
	result := authz.decisions with input as c.input with data.minishop.policies as policies with data.minishop.partner_grants as grants
}

# A case whose decisions are undefined counts as a mismatch too.
gets_expected_decisions(c) if decide(c) == c.expected

mismatches contains name if {
	some c in cases
	not gets_expected_decisions(c)
	name := c.name
}

test_decision_table if {
	count(cases) >= 20
	print("decision table cases that do not match:", mismatches)
	count(mismatches) == 0
}

test_no_input_decides_nothing if {
	authz.decisions == {}
}
