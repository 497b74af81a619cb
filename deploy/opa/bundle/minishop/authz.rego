# Decisions for the router's @policy directive: one boolean per policy named in input.policies.
#
# The rules are data (data.json beside this file, loaded as data.minishop): a policy allows when ANY of
# its conditions holds, a condition holds when ALL of its keys hold. Anything this file does not know
# (a policy missing from the data, an unknown condition key, an empty condition, missing input) denies.
# router/src/policy/embedded-decision-point.ts evaluates the same data with the same semantics;
# tests/decision_table/data.json, run against both, proves they agree.
package minishop.authz

import rego.v1

# Queried by the router: POST /v1/data/minishop/authz/decisions {"input": ...}.
decisions := {name: allowed |
	some name in input.policies
	allowed := name in allowed_policies
}

allowed_policies contains name if {
	some name in input.policies
	some condition in data.minishop.policies[name].allow_if_any
	condition_holds(condition)
}

condition_holds(condition) if {
	is_object(condition)
	count(condition) > 0
	every key, value in condition {
		key_holds(key, value)
	}
}

# One definition per known condition key; any other key matches none, so its condition fails.

key_holds("subject_kind", kind) if {
	is_string(kind)
	input.subject.kind == kind
}

# Roles and scopes are user attributes: they never hold for anonymous callers or partners.
key_holds("roles_any", roles) if {
	is_array(roles)
	input.subject.kind == "user"
	some role in roles
	role in input.subject.roles
}

key_holds("scopes_all", scopes) if {
	is_array(scopes)
	input.subject.kind == "user"
	is_array(input.subject.scopes)
	every scope in scopes {
		scope in input.subject.scopes
	}
}

key_holds("partner_grant", grant) if {
	is_string(grant)
	input.subject.kind == "partner"
	grant in data.minishop.partner_grants[input.client.manifest_id]
}

key_holds("operation_types", types) if {
	is_array(types)
	input.operation.type in types
}
