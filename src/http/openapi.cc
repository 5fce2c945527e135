// The OpenAPI 3.0 description of vigil's HTTP API (GET /api/v1/openapi.json). Kept beside the
// routes; tests/http checks that every registered route is described here.
#include "http/http_util.h"
#include "http/routes.h"

namespace vigil::http {

Json DeskOpenApiPaths();  // openapi_desk.cc

namespace {

Json Param(const char* name, const char* in, const char* type, const char* description, bool required = false) {
  return Json{{"name", name}, {"in", in}, {"required", required}, {"description", description}, {"schema", {{"type", type}}}};
}

Json Op(const char* summary, Json params = Json::array(), bool token = false, const char* token_kind = "apiToken") {
  Json op{{"summary", summary}, {"parameters", std::move(params)},
          {"responses", {{"200", {{"description", "OK"}}}, {"400", {{"description", "bad parameter (message says which)"}}}}}};
  if (token) {
    op["security"] = Json::array({Json{{token_kind, Json::array()}}});
    op["responses"]["401"] = {{"description", "missing or wrong token"}};
  }
  return op;
}

Json Build() {
  const Json from = Param("from", "query", "string", "start (RFC 3339 with offset, or epoch ms)");
  const Json to = Param("to", "query", "string", "end, exclusive (RFC 3339 with offset, or epoch ms)");
  const Json id = Param("id", "path", "integer", "id", true);
  Json paths;
  Json records = Op("Ingest records: JSON Lines (application/x-ndjson) or CSV with a header (text/csv), "
                    "optionally Content-Encoding: gzip. 200 once journaled; 429 when the queue is full.",
                    Json::array(), true, "ingestToken");
  records["requestBody"] = {{"required", true},
                            {"content", {{"application/x-ndjson", {{"schema", {{"type", "string"}}}}},
                                         {"text/csv", {{"schema", {{"type", "string"}}}}}}}};
  records["responses"]["413"] = {{"description", "body too large (sent or inflated)"}};
  records["responses"]["429"] = {{"description", "queue full: retry the same body after Retry-After"}};
  paths["/api/v1/records"]["post"] = records;
  paths["/api/v1/alerts"]["get"] = Op("Current alerts with their suppression (silenced / inhibited)",
      Json::array({Param("state", "query", "string", "firing (default), resolved or all"),
                   Param("since", "query", "string", "resolved alerts since (default: 24 h ago)")}));
  paths["/api/v1/alerts/events"]["get"] = Op("Alert event history, newest first",
      Json::array({from, to, Param("rule", "query", "string", "rule name"), Param("txn", "query", "string", "transaction code"),
                   Param("state", "query", "string", "firing or resolved"), Param("limit", "query", "integer", "1-1000, default 100"),
                   Param("before_id", "query", "integer", "paging: events with smaller ids")}));
  paths["/api/v1/alerts/events/{id}"]["get"] = Op("One alert event with its abnormal records", Json::array({id}));
  paths["/api/v1/alerts/events/{id}/records"]["get"] = Op("The abnormal records of an event (format=csv for a download)",
      Json::array({id, Param("format", "query", "string", "json (default) or csv")}));
  const Json fingerprint = Param("fingerprint", "path", "string", "the alert's fingerprint (as in GET /api/v1/alerts)", true);
  Json ack = Op("Acknowledge a firing alert: optional body {comment, by (default \"api\")}; no repeat_interval reminders about it "
                "until it resolves (resolution is still sent) or the acknowledgement is withdrawn",
                Json::array({fingerprint}), true);
  ack["requestBody"] = {{"required", false}, {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
  ack["responses"]["404"] = {{"description", "no firing alert with this fingerprint (unknown or resolved)"}};
  paths["/api/v1/alerts/{fingerprint}/ack"]["post"] = ack;
  Json unack = Op("Withdraw the acknowledgement of a firing alert (optional body {by, comment}, for the log); reminders resume",
                  Json::array({fingerprint}), true);
  unack["responses"]["404"] = ack["responses"]["404"];
  paths["/api/v1/alerts/{fingerprint}/ack"]["delete"] = unack;
  paths["/api/v1/alerts/acks"]["get"] = Op("The acknowledgement log, newest first: who acknowledged or withdrew which alert, when, with their comment",
      Json::array({from, to, Param("rule", "query", "string", "rule name"), Param("txn", "query", "string", "transaction code"),
                   Param("limit", "query", "integer", "1-1000, default 100"), Param("before_id", "query", "integer", "paging: entries with smaller ids")}));
  paths["/api/v1/codes"]["get"] = Op("Every code's volume, success rates, p95 latency, firing alerts and worst firing severity over a window (default: last 15 minutes), with a sparkline of its last minutes",
      Json::array({from, to, Param("spark_minutes", "query", "integer", "minutes in each row's spark, up to `to` (0-120, default 30; 0: no spark)")}));
  paths["/api/v1/codes/{txn}/series"]["get"] = Op("One code's minute series (count, success rates, p50/p95/p99, baseline band) and parameters",
      Json::array({Param("txn", "path", "string", "transaction code", true), from, to}));
  const Json txn = Param("txn", "path", "string", "transaction code", true);
  paths["/api/v1/codes/{txn}/hourly"]["get"] = Op("One code's hourly volume on a day against the previous same-type days with data, and their median per hour (交易量环比)",
      Json::array({txn, Param("date", "query", "string", "YYYY-MM-DD (default: today)")}));
  paths["/api/v1/codes/{txn}/returns"]["get"] = Op("One code's failing return codes over a window (default: last 60 minutes) and per minute; the 12 largest named, the rest as \"other\"",
      Json::array({txn, from, to}));
  paths["/api/v1/overview"]["get"] = Op("The console's overview: ingest rate and totals, firing alerts by severity, a tile per requesting and service system (default window: last 15 minutes)",
      Json::array({from, to}));
  paths["/api/v1/services"]["get"] = Op("Every service system's calls, failures and success rate over a window (default: last 15 minutes), per code and per minute",
      Json::array({from, to}));
  Json stream = Op("Server-sent events (text/event-stream): `stats` every second, `alerts` when the firing alerts change (and on connect), "
                   "`records` (new records matching the filter, at most 200, at most every second), `: ping` every 15 s. 503 beyond --max-streams.",
      Json::array({Param("topics", "query", "string", "comma-separated: stats, alerts, records (default: all)"),
                   Param("txn", "query", "string", "records: code"), Param("node", "query", "string", "records: node"),
                   Param("ret", "query", "string", "records: return code"), Param("svc_sys", "query", "string", "records: service system"),
                   Param("sys", "query", "string", "records: requesting system")}));
  stream["responses"]["200"] = {{"description", "an event stream"}, {"content", {{"text/event-stream", {{"schema", {{"type", "string"}}}}}}}};
  stream["responses"]["503"] = {{"description", "too many open streams: retry after Retry-After"}};
  paths["/api/v1/stream"]["get"] = stream;
  paths["/api/v1/records/recent"]["get"] = Op("The most recent records, newest first",
      Json::array({Param("txn", "query", "string", "code"), Param("node", "query", "string", "node"), Param("ret", "query", "string", "return code"),
                   Param("svc_sys", "query", "string", "service system"), Param("sys", "query", "string", "requesting system"),
                   Param("after", "query", "string", "only records after this time"), Param("limit", "query", "integer", "1-5000, default 200")}));
  paths["/api/v1/silences"]["get"] = Op("Active and pending silences (all=1: expired too)", Json::array({Param("all", "query", "string", "1 for all")}));
  Json create = Op("Create a silence: {matchers: [\"txn=A001\", {name, op, value}], starts_at_ms?, ends_at_ms | duration_ms, created_by, comment}",
                   Json::array(), true);
  create["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
  paths["/api/v1/silences"]["post"] = create;
  paths["/api/v1/silences/preview"]["post"] = Op("Which firing alerts a silence would mute");
  paths["/api/v1/silences/{id}"]["get"] = Op("One silence", Json::array({id}));
  paths["/api/v1/silences/{id}"]["put"] = Op("Replace a silence", Json::array({id}), true);
  paths["/api/v1/silences/{id}"]["delete"] = Op("Expire a silence now", Json::array({id}), true);
  paths["/api/v1/config"]["get"] = Op("The configuration in use (each code's resolved parameters and rules on/off, service systems, calendar with 61 days' types, batch steps, reconciliation checks), unclassified return codes and unconfigured codes");
  paths["/api/v1/config/reload"]["post"] = Op("Re-read the configuration file; an invalid one is refused with its errors", Json::array(), true);
  paths["/api/v1/stats/ingest"]["get"] = Op("Ingest and evaluation statistics; with wait_records / wait_reloads the answer waits (up to timeout_ms) until that many were applied since start",
      Json::array({Param("wait_records", "query", "integer", "records applied since start to wait for"),
                   Param("wait_reloads", "query", "integer", "configuration reloads to wait for"),
                   Param("timeout_ms", "query", "integer", "longest wait, 0-30000, default 10000")}));
  paths["/api/v1/openapi.json"]["get"] = Op("This document");
  paths["/api/v1/admin/clock"]["post"] = Op("Move the test clock (only with --fake-clock): {now_ms} or {advance_ms}; answers after the engine evaluated, alerting ran and one delivery pass was made", Json::array(), true);
  paths["/metrics"]["get"] = Op("Prometheus metrics (text format 0.0.4)");
  paths["/healthz"]["get"] = Op("Liveness: the process answers");
  paths["/readyz"]["get"] = Op("Readiness: engine rebuilt, store reachable, queue not nearly full (503 otherwise)");
  const Json desk_paths = DeskOpenApiPaths();
  for (const auto& [path, ops] : desk_paths.items()) paths[path] = ops;
  return Json{{"openapi", "3.0.3"},
              {"info", {{"title", "vigil"}, {"version", "1"},
                        {"description", "Transaction-code business monitoring (ingest, alerts, traffic, silences) and the incident desk (logins, users, tokens, audit, incidents)."}}},
              {"paths", paths},
              {"components", {{"securitySchemes", {{"ingestToken", {{"type", "http"}, {"scheme", "bearer"}}},
                                                    {"apiToken", {{"type", "http"}, {"scheme", "bearer"}}},
                                                    {"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "vigil_session"}}}}}}}};
}

}  // namespace

const std::string& OpenApiDocument() {
  static const std::string doc = Build().dump(2);
  return doc;
}

}  // namespace vigil::http
