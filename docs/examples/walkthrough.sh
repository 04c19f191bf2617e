#!/usr/bin/env bash
# A worked example against a running Cadre (`npm start`): a coordinator publishes a (sample)
# framework, Albania adopts it, a manager registers two officers, one is certified, one is refused
# a team role with the missing requirement named, then assigned through a two-manager override; the
# certified one's certificate is revoked (a lapse in the inbox) and she is certified again (requalified).
# Needs curl and jq. CADRE_URL defaults to http://127.0.0.1:3000.
set -euo pipefail
URL=${CADRE_URL:-http://127.0.0.1:3000}
token() { npm run -s token -- "$@"; }
COORD=$(token --role training-coordinator --jurisdiction '*' --sub coord)
AL_COORD=$(token --role training-coordinator --jurisdiction AL --sub al-coord)
ANA=$(token --role manager --jurisdiction AL --sub ana)
BEN=$(token --role manager --jurisdiction AL --sub ben)
AUDITOR=$(token --role auditor --jurisdiction AL --sub audrey)
post() { curl -sS -X POST "$URL$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3"; echo; }
get() { curl -sS "$URL$2" -H "Authorization: Bearer $1"; echo; }

echo '# 1. The regional framework (a SAMPLE), drafted and published by a regional coordinator'
post "$COORD" /v1/frameworks '{"version":"v1","title":"Regional training framework (SAMPLE)"}'
post "$COORD" /v1/frameworks/v1/roles '{"role":"probation-officer","title":"Probation officer"}'
post "$COORD" /v1/frameworks/v1/competencies '{"competency":"radicalisation-awareness","title":"Radicalisation awareness","levels":{"awareness":{"validityMonths":24,"recertificationWindowDays":60},"specialised":{"validityMonths":36,"recertificationWindowDays":90}}}'
post "$COORD" /v1/frameworks/v1/requirements '{"role":"probation-officer","competency":"radicalisation-awareness","minLevel":"specialised"}'
post "$COORD" /v1/frameworks/v1/publish '{}'

echo '# 2. Albania adopts it'
post "$AL_COORD" /v1/jurisdictions/AL/framework-adoptions '{"version":"v1","effectiveFrom":"2025-01-01T00:00:00Z"}'

echo '# 3. A manager registers two probation officers (name, e-mail and employeeRef are sealed in the events)'
DRITA=$(post "$ANA" /v1/staff '{"agency":"probation","jurisdiction":"AL","institution":"Tirana probation office","role":"probation-officer","name":"Drita Example","email":"drita@example.org","employeeRef":"AL-P-0001"}' | jq -r .id)
ERION=$(post "$ANA" /v1/staff '{"agency":"probation","jurisdiction":"AL","institution":"Tirana probation office","role":"probation-officer","name":"Erion Example","email":"erion@example.org","employeeRef":"AL-P-0002"}' | jq -r .id)

echo '# 4. Drita is certified (external evidence); validUntil is computed from the framework'
post "$AL_COORD" "/v1/staff/$DRITA/certifications" '{"competency":"radicalisation-awareness","level":"specialised","validFrom":"2025-06-01T00:00:00Z","evidence":{"issuer":"Council of Europe HELP course","reference":"HELP-2025-0042"}}'

echo '# 5. A team, Drita assigned; Erion refused with what he lacks; then a two-manager override'
TEAM=$(post "$ANA" /v1/teams '{"name":"MDT Tirana 1","jurisdiction":"AL","institutions":["Tirana probation office"],"kind":"probation","caseRef":"CASE-7781","requiredDisciplines":[{"role":"probation-officer","minCount":1}]}' | jq -r .id)
post "$ANA" "/v1/teams/$TEAM/members" "{\"staffId\":\"$DRITA\",\"teamRole\":\"probation-officer\"}"
post "$ANA" "/v1/teams/$TEAM/members" "{\"staffId\":\"$ERION\",\"teamRole\":\"probation-officer\"}"
OVERRIDE=$(post "$ANA" "/v1/teams/$TEAM/members" "{\"staffId\":\"$ERION\",\"teamRole\":\"probation-officer\",\"override\":{\"justification\":\"Only officer fluent in the prisoner's language; training booked for March\"}}" | jq -r .overrideId)
post "$BEN" "/v1/teams/$TEAM/overrides/$OVERRIDE/approve" '{}'
get "$ANA" "/v1/teams/$TEAM"

echo '# 6. A lapse and a requalification: Drita'"'"'s certificate is revoked, then she is certified again'
CERT=$(get "$ANA" "/v1/staff/$DRITA" | jq -r '.certifications[0].certificationId')
post "$AL_COORD" "/v1/staff/$DRITA/certifications/$CERT/revoke" '{"reason":"Issued on a forged reference"}'
sleep 2
get "$ANA" /v1/lapses | jq '.items[] | {name, teamRole, competency, cause, since}'
post "$AL_COORD" "/v1/staff/$DRITA/certifications" "{\"competency\":\"radicalisation-awareness\",\"level\":\"specialised\",\"validFrom\":\"$(date -u +%FT%TZ)\",\"evidence\":{\"issuer\":\"Council of Europe HELP course\",\"reference\":\"HELP-2026-0311\"}}"
sleep 1
get "$ANA" "/v1/teams/$TEAM" | jq ".members[\"$DRITA\"] | {name, standing, now}"

echo '# 7. The auditor: the assignment ledger, a stream history, an integrity check'
sleep 1
get "$AUDITOR" '/v1/audit/assignments?jurisdiction=AL'
get "$AUDITOR" "/v1/audit/streams/team-$TEAM/events" | jq '.events[] | {type, occurredAt, recordedAt, actor: .actor.sub}'
get "$AUDITOR" "/v1/audit/integrity?stream=team-$TEAM"
