// The demo page of GET /_emulator/ui (issue #11). Every change goes through the public /v2 API with the page's
// token; the conversation list, webhook deliveries and request journal are read from the control plane. Live updates
// come from GET /_emulator/events (server-sent events); when that stream is not available the page polls.
"use strict";

(function () {
  const meta = (name) => (document.querySelector(`meta[name="${name}"]`) || {}).content || "";
  const params = new URLSearchParams(location.search);
  const state = {
    token: meta("emulator-token"),
    workspaces: meta("emulator-workspaces") === "true",
    adminToken: params.get("admin_token") || "",
    conversations: [],
    selectedId: null,
    selected: null,
    messages: [],
    agents: [],
    groups: [],
    channels: [],
    users: [],
    seen: loadSeen(),
    live: false,
    pollTimer: null,
  };
  const $ = (id) => document.getElementById(id);

  // MARK: - HTTP

  async function request(method, path, body, headers) {
    const init = { method, headers: Object.assign({}, headers || {}) };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    const response = await fetch(path, init);
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (_) {
      json = null;
    }
    if (!response.ok) {
      const message = (json && json.message) || text || response.statusText;
      throw new Error(`${method} ${path.split("?")[0]} → ${response.status}: ${message}`);
    }
    return json;
  }

  /** A call to the public API, with the page's bearer token. */
  function api(method, path, body) {
    return request(method, path, body, { Authorization: `Bearer ${state.token}` });
  }

  /** A control-plane URL, addressing the page's workspace when workspaces are on. */
  function controlURL(path, query) {
    const search = new URLSearchParams(query || {});
    if (state.workspaces) search.set("workspace", state.token);
    const text = search.toString();
    return text ? `${path}?${text}` : path;
  }

  function control(path, query) {
    const headers = state.adminToken ? { Authorization: `Bearer ${state.adminToken}` } : {};
    return request("GET", controlURL(path, query), undefined, headers);
  }

  function showError(error, where) {
    const target = where || $("page-error");
    target.textContent = error instanceof Error ? error.message : String(error);
    target.hidden = false;
  }

  function clearError(where) {
    const target = where || $("page-error");
    target.textContent = "";
    if (target === $("page-error")) target.hidden = true;
  }

  // MARK: - Names

  const byId = (list, id) => list.find((item) => item.id === id);
  const agentName = (id) => {
    const agent = byId(state.agents, id);
    return agent ? [agent.first_name, agent.last_name].filter(Boolean).join(" ") || agent.email : id;
  };
  const groupName = (id) => (byId(state.groups, id) || {}).name || id;
  const channelName = (id) => (byId(state.channels, id) || {}).name || id;
  const userName = (id) => {
    const user = byId(state.users, id);
    if (!user) return id ? `User ${id.slice(0, 8)}` : "Unknown user";
    return [user.first_name, user.last_name].filter(Boolean).join(" ") || user.email || user.phone || id;
  };
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "");

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of [].concat(children || [])) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  // MARK: - Unread markers

  function loadSeen() {
    try {
      return JSON.parse(localStorage.getItem("fc-emulator-seen") || "{}");
    } catch (_) {
      return {};
    }
  }

  function markSeen(conversation) {
    const last = conversation && conversation.last_message;
    if (!last) return;
    state.seen[conversation.conversation_id] = last.created_time;
    try {
      localStorage.setItem("fc-emulator-seen", JSON.stringify(state.seen));
    } catch (_) {
      // private browsing: markers last for this page only
    }
  }

  function isUnread(conversation) {
    const last = conversation.last_message;
    if (!last || conversation.conversation_id === state.selectedId) return false;
    const seen = state.seen[conversation.conversation_id];
    return !seen || last.created_time > seen;
  }

  // MARK: - Reference lists

  async function pages(path, key) {
    const items = [];
    for (let page = 1; page <= 10; page++) {
      const separator = path.includes("?") ? "&" : "?";
      const body = await api("GET", `${path}${separator}items_per_page=100&page=${page}`);
      items.push(...(body[key] || []));
      const pagination = body.pagination;
      if (!pagination || page >= pagination.total_pages) break;
    }
    return items;
  }

  async function loadReferenceLists() {
    const [agents, groups, channels] = await Promise.all([
      pages("/v2/agents", "agents"),
      pages("/v2/groups", "groups"),
      pages("/v2/channels", "channels"),
    ]);
    state.agents = agents.filter((agent) => !agent.is_deactivated && !agent.is_deleted);
    state.groups = groups;
    state.channels = channels;
    await loadUsers();
    fillSelect($("assign-group"), state.groups, (g) => g.name, "No group");
    fillAssignableAgents();
    fillSelect($("agent-sender"), state.agents, (a) => agentName(a.id));
    fillSelect($("new-channel"), state.channels, (c) => c.name);
  }

  async function loadUsers() {
    state.users = await pages("/v2/users?created_from=1970-01-01T00:00:00.000Z&sort_order=desc", "users");
    fillSelect($("new-user"), state.users, (u) => userName(u.id), "Create a new user");
    updateNewUserFields();
  }

  /** The agent choices of the console: with a group chosen, only its members (docs L1466: "Ensure that the agent to
   * whom the conversation is assigned belongs to the group to which the conversation is assigned."). */
  function fillAssignableAgents() {
    const group = $("assign-group").value;
    const agents = group ? state.agents.filter((a) => (a.groups || []).includes(group)) : state.agents;
    fillSelect($("assign-agent"), agents, (a) => agentName(a.id), "No agent");
  }

  function fillSelect(select, items, label, emptyLabel) {
    const current = select.value;
    select.replaceChildren();
    if (emptyLabel !== undefined) select.append(el("option", { value: "", text: emptyLabel }));
    for (const item of items) select.append(el("option", { value: item.id, text: label(item) }));
    if ([...select.options].some((option) => option.value === current)) select.value = current;
  }

  // MARK: - Conversation list

  let listRequest = 0;
  async function loadConversations() {
    const status = $("status-filter").value;
    const request = ++listRequest;
    const body = await control("/_emulator/conversations", status ? { status } : {});
    if (request !== listRequest) return; // a later reload is under way: its answer is the newer one
    state.conversations = body.conversations || [];
    const selected = state.conversations.find((c) => c.conversation_id === state.selectedId);
    if (selected) markSeen(selected);
    renderConversationList();
  }

  /** Re-renders `container` with `render`, keeping keyboard focus on the element with the same data-focus-key. */
  function keepingFocus(container, render) {
    const active = document.activeElement;
    const key = active && container.contains(active) ? active.dataset.focusKey : null;
    render();
    if (!key) return;
    const again = [...container.querySelectorAll("[data-focus-key]")].find((node) => node.dataset.focusKey === key);
    if (again && !again.disabled) again.focus({ preventScroll: true });
  }

  function renderConversationList() {
    keepingFocus($("conversation-list"), renderConversationItems);
  }

  function renderConversationItems() {
    const list = $("conversation-list");
    list.replaceChildren();
    for (const conversation of state.conversations) {
      const id = conversation.conversation_id;
      const users = (conversation.users || []).map((u) => userName(u.id)).join(", ");
      const assignee = [
        conversation.assigned_agent_id ? agentName(conversation.assigned_agent_id) : null,
        conversation.assigned_group_id ? groupName(conversation.assigned_group_id) : null,
      ]
        .filter(Boolean)
        .join(" · ");
      const unread = isUnread(conversation);
      const last = conversation.last_message;
      const button = el(
        "button",
        {
          type: "button",
          class: "conversation-item",
          "data-conversation-id": id,
          "data-focus-key": id,
          "aria-current": id === state.selectedId ? "true" : false,
          onclick: () => selectConversation(id),
        },
        [
          el("span", { class: "conversation-title" }, [
            unread ? el("span", { class: "unread-dot", "aria-hidden": "true" }) : null,
            el("span", { text: users || "Conversation" }),
            unread ? el("span", { class: "visually-hidden", text: " (unread)" }) : null,
          ]),
          el("span", { class: `badge status-${conversation.status}`, text: conversation.status }),
          el("span", { class: "conversation-detail", text: channelName(conversation.channel_id) }),
          el("span", { class: "conversation-detail", text: assignee || "Unassigned" }),
          last ? el("span", { class: "conversation-preview", text: `${time(last.created_time)} ${preview(last)}` }) : null,
        ],
      );
      list.append(el("li", { class: unread ? "unread" : "" }, button));
    }
    $("conversation-list-empty").hidden = state.conversations.length > 0;
  }

  function preview(message) {
    const texts = [];
    const walk = (parts) => {
      for (const part of parts || []) {
        if (part.text) texts.push(part.text.content);
        else if (part.image) texts.push("[image]");
        else if (part.file) texts.push(`[file ${part.file.name || ""}]`);
        else if (part.collection) walk(part.collection.sub_parts);
        else if (part.url_button) texts.push(`[${part.url_button.label || "link"}]`);
      }
    };
    walk(message.message_parts);
    const text = texts.join(" ");
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  }

  // MARK: - The selected conversation

  async function selectConversation(id, options) {
    state.selectedId = id;
    if (!(options && options.keepHash)) history.replaceState(null, "", `${location.pathname}${location.search}#${id}`);
    clearError($("console-error"));
    try {
      await Promise.all([loadConversation(), loadMessages()]);
      const summary = state.conversations.find((c) => c.conversation_id === id);
      if (summary) markSeen(summary);
      renderConversationList();
      refreshPanels();
      if (!(options && options.quiet)) $("chat").focus();
    } catch (error) {
      showError(error);
    }
  }

  async function loadConversation() {
    if (!state.selectedId) return;
    state.selected = await api("GET", `/v2/conversations/${encodeURIComponent(state.selectedId)}`);
    renderConsole();
  }

  async function loadMessages() {
    if (!state.selectedId) return;
    const selected = state.selectedId;
    const id = encodeURIComponent(selected);
    const messages = [];
    let path = `/v2/conversations/${id}/messages?items_per_page=50&sort_order=asc`;
    for (let page = 0; path && page < 20; page++) {
      const body = await api("GET", path);
      messages.push(...(body.messages || []));
      path = body.link && body.link.href ? body.link.href : null;
    }
    if (state.selectedId !== selected) return;
    // A message.created event may have arrived while the pages were on their way (a bot answers within
    // milliseconds): keep what it appended rather than the older list.
    const fetched = new Set(messages.map((m) => m.id));
    for (const m of state.messages) {
      if (m.conversation_id === selected && !fetched.has(m.id)) messages.push(m);
    }
    messages.sort((a, b) => (a.created_time < b.created_time ? -1 : a.created_time > b.created_time ? 1 : 0));
    state.messages = messages;
    renderMessages();
  }

  function conversationUserId() {
    const summary = state.conversations.find((c) => c.conversation_id === state.selectedId);
    if (summary && summary.users && summary.users.length) return summary.users[0].id;
    const message = state.messages.find((m) => m.user_id);
    return message ? message.user_id : null;
  }

  function renderConsole() {
    const conversation = state.selected;
    const status = conversation ? conversation.status : "none";
    $("conversation-status").textContent = status;
    $("conversation-status").className = `badge status-${status}`;
    const resolved = status === "resolved";
    $("resolve-button").disabled = !conversation || resolved;
    $("reopen-button").disabled = !conversation || !resolved;
    $("csat-submit").disabled = !conversation || !resolved;
    $("csat-hint").hidden = resolved;
    for (const id of ["assign-submit", "agent-send", "user-send"]) $(id).disabled = !conversation;
    if (!conversation) return;
    $("assign-group").value = conversation.assigned_group_id || "";
    fillAssignableAgents();
    $("assign-agent").value = conversation.assigned_agent_id || "";
    if (conversation.assigned_agent_id) $("agent-sender").value = conversation.assigned_agent_id;
    const users = conversationUserId() ? userName(conversationUserId()) : "";
    $("chat-meta").textContent =
      `${users ? `${users} · ` : ""}${channelName(conversation.channel_id)} · ${conversation.status}` +
      (conversation.assigned_group_id ? ` · ${groupName(conversation.assigned_group_id)}` : "") +
      (conversation.assigned_agent_id ? ` · ${agentName(conversation.assigned_agent_id)}` : "");
  }

  // MARK: - Messages, as the customer's widget shows them

  function renderMessages() {
    keepingFocus($("messages"), renderMessageItems);
  }

  /** Keeps the chat scrolled to its newest message while images above it load. */
  function scrollChatToEnd() {
    const list = $("messages");
    list.scrollTop = list.scrollHeight;
  }

  function renderMessageItems() {
    const list = $("messages");
    list.replaceChildren();
    const lastWithReplies = [...state.messages].reverse().find((m) => (m.reply_parts || []).length);
    const answered =
      lastWithReplies && state.messages.some((m) => m.actor_type === "user" && m.created_time > lastWithReplies.created_time);
    for (const message of state.messages) {
      const active = message === lastWithReplies && !answered;
      list.append(renderMessage(message, active));
    }
    list.scrollTop = list.scrollHeight;
  }

  function appendMessage(message) {
    if (state.messages.some((m) => m.id === message.id)) return;
    // The list is re-rendered; screen readers hear only the new message, from a live region of its own.
    $("message-announcer").textContent = `New message from ${senderName(message)}: ${preview(message)}`;
    state.messages.push(message);
    state.messages.sort((a, b) => (a.created_time < b.created_time ? -1 : a.created_time > b.created_time ? 1 : 0));
    renderMessages();
  }

  function renderMessage(message, active) {
    const privateNote = message.message_type === "private" || message.botsPrivateNote;
    const system = message.message_type === "system" || message.actor_type === "system";
    const kind = privateNote ? "private" : system ? "system" : message.actor_type === "user" ? "user" : "agent";
    const who = senderName(message);
    const header = el("p", { class: "message-meta" }, [
      privateNote ? el("span", { class: "badge private-badge", text: "Private note" }) : null,
      el("span", { text: `${who} · ${time(message.created_time)}` }),
    ]);
    const body = el("div", { class: "message-body" }, renderParts(message.message_parts || [], message, active));
    const replies = (message.reply_parts || []).length
      ? el("div", { class: "reply-parts" }, renderParts(message.reply_parts, message, active))
      : null;
    return el("li", { class: `message message-${kind}`, "data-message-id": message.id }, [header, body, replies]);
  }

  function senderName(message) {
    if (message.actor_type === "user") return userName(message.actor_id);
    if (message.actor_type === "agent") return agentName(message.actor_id);
    return message.actor_type === "bot" ? "Bot" : "System";
  }

  function renderParts(parts, message, active) {
    return parts.map((part) => renderPart(part, message, active));
  }

  function renderPart(part, message, active) {
    const [type] = Object.keys(part);
    const value = part[type] || {};
    switch (type) {
      case "text":
        return el("p", { class: "part-text", text: value.content });
      case "help_text":
        return el("p", { class: "part-text muted", text: value.content });
      case "image":
        return el("a", { href: safeURL(value.url), target: "_blank", rel: "noopener noreferrer", class: "part-image" }, [
          el("img", { src: safeURL(value.url), alt: value.alt || "Image sent in the conversation", onload: scrollChatToEnd }),
        ]);
      case "video":
        return el("a", { href: safeURL(value.url), target: "_blank", rel: "noopener noreferrer", text: "Video" });
      case "file":
        return el("a", { href: safeURL(value.url), target: "_blank", rel: "noopener noreferrer", class: "part-file" }, [
          el("span", { "aria-hidden": "true", text: "📎 " }),
          `${value.name || "File"}${value.file_size_in_bytes ? ` (${formatSize(value.file_size_in_bytes)})` : ""}`,
        ]);
      case "url_button":
        return el("a", {
          "data-focus-key": `${message.id}:url:${value.url}:${value.label || ""}`,
          class: "button-link",
          href: safeURL(value.url),
          target: value.target === "_self" ? "_self" : "_blank",
          rel: "noopener noreferrer",
          text: value.label || value.url,
        });
      case "quick_reply_button":
        return el("button", {
          "data-focus-key": `${message.id}:reply:${value.label}`,
          type: "button",
          class: "quick-reply",
          disabled: !active,
          text: value.label,
          onclick: () => replyAsUser(value.label, message),
        });
      case "callback":
        return el("button", {
          "data-focus-key": `${message.id}:callback:${value.label || value.payload}`,
          type: "button",
          class: "quick-reply",
          disabled: !active,
          text: value.label || value.payload,
          onclick: () => replyAsUser(value.label || value.payload, message),
        });
      case "collection":
        return el("div", { class: "collection" }, renderParts(value.sub_parts || [], message, active));
      case "template_content":
        return renderTemplate(value, message, active);
      case "text_input":
        return el("p", { class: "muted", text: `Expects ${String(value.inputType || "text").toLowerCase()} input` });
      case "attachment_input":
        return el("p", { class: "muted", text: "Expects an attachment" });
      case "reference":
        return el("p", { class: "muted", text: value.label || "FAQ article" });
      default:
        return el("pre", { class: "part-unknown", text: JSON.stringify(part) });
    }
  }

  function section(template, name) {
    return ((template.sections || []).find((s) => s.name === name) || {}).parts || [];
  }

  function renderTemplate(template, message, active) {
    if (template.type === "quick_reply_dropdown") {
      const options = section(template, "options").map((p) => p.quick_reply_button).filter(Boolean);
      const id = `dropdown-${message.id}`;
      const select = el(
        "select",
        { id, disabled: !active, "data-focus-key": `${message.id}:dropdown` },
        options.map((o) => el("option", { value: o.label, text: o.label })),
      );
      return el("form", {
        class: "dropdown",
        onsubmit: (event) => {
          event.preventDefault();
          replyAsUser(select.value, message);
        },
      }, [
        el("label", { for: id, text: "Choose an answer" }),
        select,
        el("button", { type: "submit", disabled: !active, text: "Send answer", "data-focus-key": `${message.id}:send` }),
      ]);
    }
    if (template.type === "carousel") {
      const title = section(template, "carousel_title").map((p) => (p.text ? p.text.content : "")).join(" ");
      const cards = section(template, "cards").map((p) => p.template_content).filter(Boolean);
      return el("div", { class: "carousel" }, [
        title ? el("p", { class: "carousel-title", text: title }) : null,
        el("ul", { class: "cards", "aria-label": title || "Carousel" }, cards.map((card) => el("li", {}, renderCard(card, message, active)))),
      ]);
    }
    if (template.type === "carousel_card_default") return renderCard(template, message, active);
    return el("pre", { class: "part-unknown", text: JSON.stringify(template) });
  }

  function renderCard(card, message, active) {
    const parts = (name) => section(card, name);
    const text = (name) => parts(name).map((p) => (p.text ? p.text.content : "")).join(" ");
    const image = parts("hero_image").map((p) => p.image).find(Boolean);
    return el("div", { class: "card" }, [
      image ? el("img", { src: safeURL(image.url), alt: text("title") || "Card image", onload: scrollChatToEnd }) : null,
      text("title") ? el("p", { class: "card-title", text: text("title") }) : null,
      text("description") ? el("p", { class: "card-description", text: text("description") }) : null,
      el("div", { class: "card-actions" }, [
        ...parts("callback").map((p) => renderPart(p, message, active)),
        ...parts("view").map((p) => renderPart(p, message, active)),
      ]),
    ]);
  }

  function safeURL(url) {
    try {
      const parsed = new URL(url, location.href);
      return ["http:", "https:", "data:"].includes(parsed.protocol) ? parsed.href : "#";
    } catch (_) {
      return "#";
    }
  }

  function formatSize(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  }

  // MARK: - Actions (all through /v2)

  async function sendMessage(body) {
    const message = await api("POST", `/v2/conversations/${encodeURIComponent(state.selectedId)}/messages`, body);
    appendMessage(message);
    refreshPanels();
    return message;
  }

  /** What Freshchat's widget sends when the customer picks a quick reply: a user message with the chosen label. */
  async function replyAsUser(label, message) {
    const userId = conversationUserId();
    clearError($("user-status"));
    try {
      await sendMessage({
        actor_type: "user",
        actor_id: userId,
        message_type: "normal",
        message_parts: [{ text: { content: label } }],
        in_reply_to: { message_id: message.id },
      });
      $("user-text").focus();
    } catch (error) {
      showError(error, $("user-status"));
    }
  }

  async function onUserSend(event) {
    event.preventDefault();
    const text = $("user-text").value.trim();
    const file = $("user-image").files[0];
    if (!text && !file) return;
    clearError($("user-status"));
    try {
      const parts = [];
      if (file) {
        const form = new FormData();
        form.append("image", file, file.name);
        const image = await api("POST", "/v2/images/upload", form);
        parts.push({ image: { url: image.url } });
      }
      if (text) parts.push({ text: { content: text } });
      await sendMessage({ actor_type: "user", actor_id: conversationUserId(), message_type: "normal", message_parts: parts });
      $("user-text").value = "";
      $("user-image").value = "";
      await loadConversation();
    } catch (error) {
      showError(error, $("user-status"));
    }
  }

  async function updateConversation(changes) {
    clearError($("console-error"));
    try {
      state.selected = await api("PUT", `/v2/conversations/${encodeURIComponent(state.selectedId)}`, changes);
      renderConsole();
      refreshPanels();
      await loadConversations();
    } catch (error) {
      showError(error, $("console-error"));
    }
  }

  function onAssign(event) {
    event.preventDefault();
    updateConversation({ assigned_group_id: $("assign-group").value, assigned_agent_id: $("assign-agent").value });
  }

  async function onAgentSend(event) {
    event.preventDefault();
    const text = $("agent-text").value.trim();
    if (!text) return;
    clearError($("console-error"));
    const kind = document.querySelector('input[name="agent-kind"]:checked').value;
    try {
      await sendMessage({
        actor_type: "agent",
        actor_id: $("agent-sender").value,
        message_type: kind,
        message_parts: [{ text: { content: text } }],
      });
      $("agent-text").value = "";
    } catch (error) {
      showError(error, $("console-error"));
    }
  }

  async function onCSAT(event) {
    event.preventDefault();
    clearError($("console-error"));
    const resolved = $("csat-resolved").checked;
    const body = { issue_resolved: resolved, rating: Number($("csat-rating").value) };
    const feedback = $("csat-feedback").value.trim();
    if (feedback) body.additional_feedback = feedback;
    try {
      await api("POST", `/v2/csat/${encodeURIComponent(state.selectedId)}`, body);
      $("console-error").textContent = "CSAT rating submitted.";
      refreshPanels();
    } catch (error) {
      showError(error, $("console-error"));
    }
  }

  function updateNewUserFields() {
    $("new-user-fields").hidden = $("new-user").value !== "";
  }

  async function onNewConversation(event) {
    event.preventDefault();
    const status = $("new-conversation-status");
    status.textContent = "Creating…";
    try {
      let userId = $("new-user").value;
      if (!userId) {
        const email = $("new-user-email").value.trim() || `customer-${Date.now()}@example.com`;
        const user = await api("POST", "/v2/users", { first_name: $("new-user-name").value.trim() || "Customer", email });
        state.users.unshift(user);
        userId = user.id;
      }
      const accepted = await api("POST", "/v2/conversations", {
        channel_id: $("new-channel").value,
        users: [{ id: userId }],
        messages: [
          {
            actor_type: "user",
            actor_id: userId,
            message_type: "normal",
            message_parts: [{ text: { content: $("new-message").value.trim() || "Hello" } }],
          },
        ],
      });
      status.textContent = "Conversation accepted; it appears once the emulator has created it.";
      await loadUsers();
      await waitForConversation(accepted.conversation_id);
    } catch (error) {
      status.textContent = error.message;
    }
  }

  /** POST /v2/conversations answers 202: the conversation exists after the emulator's async delay. */
  async function waitForConversation(id) {
    for (let attempt = 0; attempt < 40; attempt++) {
      await loadConversations();
      if (state.conversations.some((c) => c.conversation_id === id)) {
        $("new-conversation-status").textContent = "Conversation created.";
        await selectConversation(id);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  // MARK: - Panels for the audience

  let panelTimer = null;
  function refreshPanels() {
    clearTimeout(panelTimer);
    panelTimer = setTimeout(() => {
      loadDeliveries().catch((error) => showError(error));
      loadRequests().catch((error) => showError(error));
    }, 150);
  }

  async function loadDeliveries() {
    if (!state.selectedId) return;
    const body = await control("/_emulator/webhooks/deliveries", { conversation_id: state.selectedId });
    const rows = (body.deliveries || []).slice().reverse();
    $("deliveries").replaceChildren(
      ...rows.map((d) =>
        el("tr", { "data-delivery-id": d.id }, [
          el("td", { text: d.event || d.action }),
          el("td", {}, el("span", { class: `badge delivery-${d.status}`, text: d.status })),
          el("td", { text: String(d.attempts ?? "") }),
          el("td", { text: d.last_status_code == null ? "–" : String(d.last_status_code) }),
        ]),
      ),
    );
    $("deliveries-empty").hidden = rows.length > 0;
  }

  async function loadRequests() {
    if (!state.selectedId) return;
    const body = await control("/_emulator/requests", { path: `*${state.selectedId}*` });
    const showReads = $("requests-show-reads").checked;
    const rows = (body.requests || []).filter((r) => showReads || r.method !== "GET").slice(-30).reverse();
    $("requests").replaceChildren(
      ...rows.map((r) =>
        el("li", { class: r.status >= 400 ? "request-failed" : "" }, [
          el("span", { class: "request-method", text: r.method }),
          " ",
          el("span", { class: "request-path", text: r.path }),
          " → ",
          el("span", { class: "request-status", text: r.status == null ? "dropped" : String(r.status) }),
          el("span", { class: "muted", text: ` ${time(r.time)}` }),
        ]),
      ),
    );
    $("requests-empty").hidden = rows.length > 0;
  }

  // MARK: - Live updates

  function connectEvents() {
    if (!window.EventSource) return startPolling("this browser has no EventSource");
    const query = {};
    if (state.adminToken) query.admin_token = state.adminToken;
    const source = new EventSource(controlURL("/_emulator/events", query));
    let opened = false;
    source.onopen = () => {
      opened = true;
      state.live = true;
      stopPolling();
      $("connection").textContent = "Live: server-sent events";
      $("connection").className = "connection live";
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED || !opened) {
        source.close();
        state.live = false;
        startPolling("no event stream");
        // Try the stream again later: the emulator may have restarted.
        setTimeout(connectEvents, 15000);
      } else {
        $("connection").textContent = "Reconnecting…";
      }
    };
    const handle = (name, fn) =>
      source.addEventListener(name, (event) => {
        let data = null;
        try {
          data = event.data ? JSON.parse(event.data) : null;
        } catch (_) {
          data = null;
        }
        Promise.resolve(fn(data)).catch((error) => showError(error));
      });
    handle("conversation.created", () => scheduleListReload());
    handle("conversation.updated", (conversation) => {
      scheduleListReload();
      if (conversation && conversation.conversation_id === state.selectedId) {
        state.selected = conversation;
        renderConsole();
        refreshPanels();
      }
    });
    handle("message.created", (message) => {
      scheduleListReload();
      if (message && message.conversation_id === state.selectedId) {
        appendMessage(message);
        refreshPanels();
      }
    });
    handle("delivery.updated", (delivery) => {
      if (delivery && delivery.conversation_id === state.selectedId) refreshPanels();
    });
    handle("user.created", () => loadUsers());
    handle("user.updated", () => loadUsers());
    handle("reset", () => reloadEverything());
  }

  let listTimer = null;
  function scheduleListReload() {
    clearTimeout(listTimer);
    listTimer = setTimeout(() => loadConversations().catch((error) => showError(error)), 100);
  }

  function startPolling(reason) {
    $("connection").textContent = `Polling every 2 s (${reason})`;
    $("connection").className = "connection polling";
    if (state.pollTimer) return;
    state.pollTimer = setInterval(async () => {
      try {
        await loadConversations();
        if (state.selectedId) {
          const summary = state.conversations.find((c) => c.conversation_id === state.selectedId);
          const last = summary && summary.last_message;
          if (last && !state.messages.some((m) => m.id === last.id)) await loadMessages();
          if (summary && state.selected && summary.updated_time !== state.selected.updated_time) await loadConversation();
          refreshPanels();
        }
      } catch (error) {
        showError(error);
      }
    }, 2000);
  }

  function stopPolling() {
    clearInterval(state.pollTimer);
    state.pollTimer = null;
  }

  async function reloadEverything() {
    clearError();
    await loadReferenceLists();
    await loadConversations();
    if (state.selectedId && !state.conversations.some((c) => c.conversation_id === state.selectedId)) {
      try {
        await api("GET", `/v2/conversations/${encodeURIComponent(state.selectedId)}`);
      } catch (_) {
        state.selectedId = null;
        state.selected = null;
        state.messages = [];
        renderMessages();
        renderConsole();
        $("chat-meta").textContent = "Pick a conversation on the left, or start a new one.";
        return;
      }
    }
    if (state.selectedId) await selectConversation(state.selectedId, { quiet: true, keepHash: true });
  }

  // MARK: - Start

  async function start() {
    $("status-filter").addEventListener("change", () => loadConversations().catch((error) => showError(error)));
    $("new-user").addEventListener("change", updateNewUserFields);
    $("new-conversation-form").addEventListener("submit", onNewConversation);
    $("user-composer").addEventListener("submit", onUserSend);
    $("assign-form").addEventListener("submit", onAssign);
    $("assign-group").addEventListener("change", fillAssignableAgents);
    $("resolve-button").addEventListener("click", () => updateConversation({ status: "resolved" }));
    $("reopen-button").addEventListener("click", () => updateConversation({ status: "reopened" }));
    $("agent-composer").addEventListener("submit", onAgentSend);
    $("csat-form").addEventListener("submit", onCSAT);
    $("requests-show-reads").addEventListener("change", () => loadRequests().catch((error) => showError(error)));
    $("user-text").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        $("user-composer").requestSubmit();
      }
    });
    renderConsole();
    try {
      await loadReferenceLists();
    } catch (error) {
      showError(error);
    }
    if (meta("emulator-admin-token-required") === "true" && !state.adminToken) {
      // The conversation list, the panels and the event stream are the control plane's.
      showError("This emulator runs with --admin-token: open the page as /_emulator/ui?admin_token=<admin-token>.");
      $("connection").textContent = "Not connected";
      return;
    }
    try {
      await loadConversations();
      const hash = decodeURIComponent(location.hash.slice(1));
      if (hash) await selectConversation(hash, { quiet: true, keepHash: true });
    } catch (error) {
      showError(error);
    }
    connectEvents();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
