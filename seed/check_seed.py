#!/usr/bin/env python3
"""Consistency checker for the emulator seed fixtures (run: python3 seed/check_seed.py)."""
import json, os, re, sys

D = os.path.dirname(os.path.abspath(__file__))
def load(n):
    with open(os.path.join(D, n), encoding="utf-8") as f:
        return json.load(f)

errors = []
def check(cond, msg):
    if not cond:
        errors.append(msg)

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
S, I, B, O, A, N = str, int, bool, dict, list, type(None)

def shape(obj, spec, where):
    check(set(obj) == set(spec), f"{where}: keys {sorted(set(obj) ^ set(spec))} differ from spec")
    for k, t in spec.items():
        if k in obj:
            ts = t if isinstance(t, tuple) else (t,)
            v = obj[k]
            ok = isinstance(v, ts) and not (isinstance(v, bool) and B not in ts)
            check(ok, f"{where}.{k}: {type(v).__name__} not {ts}")

# account
acc = load("account.json")
shape(acc, {"organisation_id": I, "organisation_domain": S, "account_id": I, "account_domain": S,
            "app_id": S, "bundle_id": I, "bundle_type": S, "plan_type": S, "datacenter": S}, "account")
check(acc["bundle_type"] in ("freshchat", "sales 360", "support360"), "account.bundle_type")
check(acc["datacenter"] in ("US", "EUC", "AUS", "IND", "US2"), "account.datacenter")
check(UUID.match(acc["app_id"]), "account.app_id uuid")

# roles
roles = load("roles.json")["roles"]
role_by_id = {}
for r in roles:
    shape(r, {"id": S, "name": S, "is_custom_role": B, "description": S}, f"role {r.get('id')}")
    check(r["id"] not in role_by_id, f"dup role {r['id']}")
    role_by_id[r["id"]] = r
    if r["is_custom_role"]:
        check(UUID.match(r["id"]), f"custom role id {r['id']} not uuid")
check({"ACCOUNT_ADMIN", "ADMIN", "AGENT"} <= set(role_by_id), "default roles missing")

# groups
groups = load("groups.json")["groups"]
gids = set()
for g in groups:
    shape(g, {"id": S, "name": S, "description": S, "routing_type": S, "routing_logic": S}, f"group {g.get('id')}")
    check(UUID.match(g["id"]), f"group id {g['id']}")
    check(g["id"] not in gids, f"dup group {g['id']}")
    gids.add(g["id"])
    rt, rl = g["routing_type"], g["routing_logic"]
    check(rt in ("INTELLIASSIGN", "OCR", "DISABLED"), f"group routing_type {rt}")
    check(rl in ("DISABLED", "LOAD_BASED", "ROUND_ROBIN", "OCR"), f"group routing_logic {rl}")
    if rt == "INTELLIASSIGN": check(rl in ("LOAD_BASED", "ROUND_ROBIN"), f"group {g['id']} IA logic")
    if rt == "OCR": check(rl == "OCR", f"group {g['id']} OCR logic")
check({g["routing_type"] for g in groups} == {"INTELLIASSIGN", "OCR", "DISABLED"}, "routing_type coverage")

# agent statuses
states = load("agent_statuses.json")["states"]
state_by_id = {}
for s in states:
    shape(s, {"id": S, "name": S}, f"state {s.get('id')}")
    check(UUID.match(s["id"]), f"state id {s['id']}")
    check(s["id"] not in state_by_id, f"dup state {s['id']}")
    state_by_id[s["id"]] = s

# agents
agents = load("agents.json")["agents"]
aspec = {"id": S, "created_time": S, "agent_capacity": I, "agent_status": O, "availability_status": S,
         "avatar": O, "biography": S, "email": S, "first_name": S, "freshid_group_ids": A,
         "freshid_uuid": S, "groups": A, "is_deactivated": B, "is_deleted": B, "last_name": S,
         "license_type": S, "locale": S, "login_status": B, "org_contact_id": S, "phone": S,
         "role_id": S, "role_name": S, "routing_type": S, "scope": S, "skill_id": S,
         "social_profiles": A, "timezone": S}
aids, emails = set(), set()
for a in agents:
    w = f"agent {a.get('id')}"
    shape(a, aspec, w)
    check(UUID.match(a["id"]), f"{w} id")
    check(a["id"] not in aids, f"dup {w}"); aids.add(a["id"])
    check(a["email"].lower() not in emails, f"{w} dup email"); emails.add(a["email"].lower())
    check(TS.match(a["created_time"]), f"{w} created_time")
    check(set(a["groups"]) <= gids, f"{w} groups not subset")
    check(all(isinstance(x, str) for x in a["groups"] + a["freshid_group_ids"]), f"{w} group id types")
    check(a["role_id"] in role_by_id, f"{w} role_id"); 
    if a["role_id"] in role_by_id: check(role_by_id[a["role_id"]]["name"] == a["role_name"], f"{w} role_name")
    check(a["availability_status"] in ("AVAILABLE", "UNAVAILABLE"), f"{w} availability")
    check(a["routing_type"] in ("INTELLIASSIGN", "OCR", "DISABLED"), f"{w} routing_type")
    check(a["scope"] in ("Global", "Group", "Me", "None"), f"{w} scope")
    check(set(a["avatar"]) <= {"url"}, f"{w} avatar")
    st = a["agent_status"]
    check(set(st) in ({"name"}, {"id", "name"}), f"{w} agent_status keys")
    if "id" in st:
        check(st["id"] in state_by_id and state_by_id[st["id"]]["name"] == st["name"], f"{w} custom status ref")
    for p in a["social_profiles"]:
        shape(p, {"type": S, "id": S}, f"{w} social")
        check(p["type"] in ("facebook", "twitter", "skype", "linkedin"), f"{w} social type")
    if a["is_deactivated"]: check(a["availability_status"] == "UNAVAILABLE", f"{w} deactivated but available")
check(any(a["is_deactivated"] for a in agents), "no deactivated agent")

# channels
chans = load("channels.json")["channels"]
cids = set()
for c in chans:
    w = f"channel {c.get('id')}"
    shape(c, {"id": S, "updated_time": S, "name": S, "icon": O, "enabled": B, "public": B, "tags": A,
              "welcome_message": O, "locale": S}, w)
    check(UUID.match(c["id"]), f"{w} id")
    check(c["id"] not in cids, f"dup {w}"); cids.add(c["id"])
    check(TS.match(c["updated_time"]), f"{w} updated_time")
    check(set(c["icon"]) <= {"url"}, f"{w} icon")
    wm = c["welcome_message"]
    shape(wm, {"message_parts": A, "message_type": S}, f"{w}.welcome_message")
    check(wm["message_type"] == "normal", f"{w} message_type")
    for mp in wm["message_parts"]:
        check(set(mp) == {"text"} and set(mp["text"]) == {"content"}, f"{w} message_part")
check(any(c["locale"] != "en" for c in chans), "no non-default locale channel")
check(any(not c["enabled"] for c in chans), "no disabled channel")
check(any(not c["public"] for c in chans), "no private channel")

# conversation properties
props = load("conversation_properties.json")
check(isinstance(props, list), "conversation_properties must be a bare array")
names = set()
for p in props:
    w = f"field {p.get('name')}"
    spec = {"id": S, "name": S, "label": S, "type": S, "custom": B, "editable": B, "position": I,
            "required": B, "choices": A}
    if "default_value" in p: spec["default_value"] = S
    shape(p, spec, w)
    check(p["name"] not in names, f"dup {w}"); names.add(p["name"])
    check(p["type"] in ("TEXT", "DROPDOWN", "CHECKBOX", "PARAGRAPH", "NUMBER", "DECIMAL", "DATE",
                        "MULTI_SELECT_DROPDOWN"), f"{w} type")
    check(p["custom"] == p["name"].startswith("cf_"), f"{w} custom vs cf_ prefix")
    if p["type"] in ("DROPDOWN", "MULTI_SELECT_DROPDOWN"):
        check(len(p["choices"]) > 0, f"{w} no choices")
    else:
        check(p["choices"] == [], f"{w} choices should be empty")
    for ch in p["choices"]:
        shape(ch, {"id": S, "value": S}, f"{w} choice")
    if "default_value" in p:
        check(p["default_value"] in {ch["id"] for ch in p["choices"]}, f"{w} default_value not a choice id")
check("priority" in names, "priority missing")
prio = next(p for p in props if p["name"] == "priority")
check([c["value"] for c in prio["choices"]] == ["Low", "Medium", "High", "Urgent"], "priority choices")

# whatsapp templates
wa = load("whatsapp_templates.json")
check(set(wa) == {"business_phone_numbers", "templates"}, "whatsapp keys")
for n in wa["business_phone_numbers"]:
    shape(n, {"phone_number": S}, "business number")
seen = set()
for t in wa["templates"]:
    w = f"template {t.get('template_name')}"
    shape(t, {"template_name": S, "namespace": S, "language_code": S, "status": S, "header": (O, N),
              "body": (O, N), "button": (O, N)}, w)
    key = (t["namespace"], t["template_name"], t["language_code"])
    check(key not in seen, f"dup {w}"); seen.add(key)
    if t["header"] is not None:
        shape(t["header"], {"type": S, "text": (S, N), "params_count": I}, f"{w}.header")
        check(t["header"]["type"] in ("text", "image", "document", "video"), f"{w} header type")
        if t["header"]["type"] != "text": check(t["header"]["params_count"] == 0, f"{w} media header params")
    for part in ("header", "body", "button"):
        x = t[part]
        if x and x.get("text") is not None:
            check(len(set(re.findall(r"\{\{(\d+)\}\}", x["text"]))) == x["params_count"], f"{w}.{part} params_count")
    if t["body"] is not None:
        shape(t["body"], {"text": S, "params_count": I}, f"{w}.body")
    if t["button"] is not None:
        shape(t["button"], {"subType": S, "url": S, "params_count": I}, f"{w}.button")
        check(len(re.findall(r"\{\{(\d+)\}\}", t["button"]["url"])) == t["button"]["params_count"], f"{w} button params")
check(("cdb2df51_9816_c754_c5a4_64cdabdcad3f", "hello_world", "en_US") in seen, "doc hello_world template missing")

# business hours
bh = load("business_hours.json")["business_hours"]
bg = set()
HM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
for b in bh:
    w = f"business_hours {b.get('group_id')}"
    shape(b, {"group_id": S, "timezone": S, "working_hours": A}, w)
    check(b["group_id"] in gids, f"{w} unknown group")
    check(b["group_id"] not in bg, f"dup {w}"); bg.add(b["group_id"])
    for s in b["working_hours"]:
        shape(s, {"day": S, "start_time": S, "end_time": S}, f"{w} slot")
        check(s["day"] in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"), f"{w} day")
        check(HM.match(s["start_time"]) and HM.match(s["end_time"]) and s["start_time"] < s["end_time"], f"{w} times {s}")
check(gids - bg, "at least one group should have no business hours (default-true path)")

if errors:
    print("\n".join("ERROR: " + e for e in errors)); sys.exit(1)
print(f"seed OK: {len(roles)} roles, {len(groups)} groups, {len(agents)} agents, {len(states)} states, "
      f"{len(chans)} channels, {len(props)} conversation fields, {len(wa['templates'])} templates, "
      f"{len(bh)} business-hours entries")
