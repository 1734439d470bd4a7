#!/usr/bin/env python3
"""The demo page (GET /_emulator/ui, issue #11) in headless Chromium, driven through Selenium.

Starts the emulator (in-memory store, a token, a free port, webhooks to a local receiver), then: creates a
conversation through the API whose last message carries quick replies, sees it appear on the page without a reload,
opens it, clicks a quick reply and checks through the API that the user message exists, resolves the conversation from
the console and sees the status change, submits a CSAT rating, sees the webhook deliveries and API requests panels
fill, checks that Tab reaches every control, that every control has an accessible name and that text contrast is at
least 4.5:1, and saves screenshots at desktop (1280x800) and phone (390x844) sizes. Waits are explicit (polling a
condition with a deadline); nothing sleeps in place of an assertion.
"""

import argparse
import http.server
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib

from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

TOKEN = "browser-check-token"
WAIT = 15  # seconds any one condition may take


def log(message):
    print(f"[browser-check] {message}", flush=True)


# MARK: - The emulator and a webhook receiver


class WebhookReceiver(http.server.BaseHTTPRequestHandler):
    """Stands in for the bot behind --webhook-url: answers 200 to every webhook and remembers its event."""

    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            WebhookReceiver.received.append(json.loads(body).get("action"))
        except ValueError:
            WebhookReceiver.received.append(None)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Emulator:
    def __init__(self, binary, webhook_url=None, extra=()):
        self.directory = tempfile.mkdtemp(prefix="browser-check.")
        port_file = os.path.join(self.directory, "port")
        self.log = open(os.path.join(self.directory, "emulator.log"), "w+")
        self.process = subprocess.Popen(
            [
                binary, "--port", "0", "--port-file", port_file, "--db", ":memory:", "--async-delay", "0",
                "--log-level", "warning", *(["--webhook-url", webhook_url] if webhook_url else []),
                *(extra or ["--token", TOKEN]),
            ],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the emulator did not start:\n{self.output()}")
            time.sleep(0.05)
        self.base = f"http://127.0.0.1:{open(port_file).read().strip()}"
        wait_until(lambda: self.call("GET", "/_emulator/health", token=None)[0] == 200, "the emulator is healthy", 30)

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-4000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def call(self, method, path, body=None, token=TOKEN, raw=None, content_type=None, base=None):
        headers = {}
        data = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if raw is not None:
            data = raw
            headers["Content-Type"] = content_type
        request = urllib.request.Request((base or self.base) + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            text = error.read()
            try:
                return error.code, json.loads(text)
            except ValueError:
                return error.code, text
        except (urllib.error.URLError, ConnectionError):
            return 0, None

    def ok(self, method, path, body=None, expect=(200, 201, 202), **kwargs):
        status, answer = self.call(method, path, body, **kwargs)
        if status not in expect:
            raise AssertionError(f"{method} {path} answered {status}: {answer}")
        return answer


# MARK: - Waiting


def wait_until(condition, what, timeout=WAIT):
    """Polls `condition` until it returns something truthy; fails naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except (StaleElementReferenceException, ElementClickInterceptedException, ElementNotInteractableException,
                AssertionError) as error:
            last_error = error
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting until {what}" + (f" ({last_error})" if last_error else ""))


def png(width, height):
    """A small PNG (a horizontal gradient), to upload as the customer's image."""
    rows = b"".join(
        b"\x00" + b"".join(bytes((30 + 200 * x // width, 120, 200 - 150 * x // width)) for x in range(width))
        for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# MARK: - The scenario


def text_message(actor_type, actor_id, text, **extra):
    message = {"actor_type": actor_type, "actor_id": actor_id, "message_type": "normal",
               "message_parts": [{"text": {"content": text}}]}
    message.update(extra)
    return message


def create_conversation(emulator, user_id, channel_id, agent_id, image_url):
    """A conversation through the API whose last message offers quick replies; the others show the other parts."""
    card = lambda title, description: {"template_content": {"type": "carousel_card_default", "sections": [
        {"name": "hero_image", "parts": [{"image": {"url": image_url}}]},
        {"name": "title", "parts": [{"text": {"content": title}}]},
        {"name": "description", "parts": [{"text": {"content": description}}]},
        {"name": "callback", "parts": [{"callback": {"payload": title, "label": f"Choose {title}"}}]},
    ]}}
    messages = [
        text_message("user", user_id, "Hi! Where is my order #1042?"),
        {"actor_type": "user", "actor_id": user_id, "message_type": "normal",
         "message_parts": [{"image": {"url": image_url}}, {"text": {"content": "Here is the receipt."}}]},
        {"actor_type": "agent", "actor_id": agent_id, "message_type": "normal",
         "message_parts": [
             {"text": {"content": "Thanks! These are the plans that include express delivery:"}},
             {"file": {"name": "delivery-terms.pdf", "url": emulator.base + "/_emulator/health",
                       "contentType": "application/pdf", "file_size_in_bytes": 48213}},
         ],
         "reply_parts": [{"template_content": {"type": "carousel", "sections": [
             {"name": "carousel_title", "parts": [{"text": {"content": "Delivery plans"}}]},
             {"name": "cards", "parts": [card("Express", "Next-day delivery"), card("Standard", "3-5 days")]},
         ]}}]},
        {"actor_type": "system", "message_type": "system",
         "message_parts": [{"text": {"content": "Conversation routed to the Support topic"}}]},
        {"actor_type": "agent", "actor_id": agent_id, "message_type": "private",
         "message_parts": [{"text": {"content": "Customer is a premium member."}}]},
        {"actor_type": "agent", "actor_id": agent_id, "message_type": "normal",
         "message_parts": [{"text": {"content": "How can I help you with this order?"}}],
         "reply_parts": [{"collection": {"sub_parts": [
             {"quick_reply_button": {"label": "Track my order"}},
             {"quick_reply_button": {"label": "Talk to a human"}},
             {"url_button": {"url": "https://example.com/orders", "label": "Open my orders", "target": "_blank"}},
         ]}}]},
    ]
    accepted = emulator.ok("POST", "/v2/conversations", {
        "channel_id": channel_id, "users": [{"id": user_id}], "messages": messages,
    }, expect=(202,))
    return accepted["conversation_id"]


def click(find, what):
    """Clicks what `find` returns once it exists; a live update may replace the element between finding and
    clicking, so a stale element is looked up again."""
    def attempt():
        element = find()
        if element is None:
            return False
        element.click()
        return True

    wait_until(attempt, what)


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def visible_text(driver, selector):
    return " ".join(element.text for element in css(driver, selector))


def set_viewport(driver, width, height, mobile):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile,
    })


ACCESSIBLE_NAMES = """
const controls = [...document.querySelectorAll('button, input, select, textarea, a[href]')]
  .filter((el) => el.getClientRects().length > 0);
const nameless = controls.filter((el) => {
  if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
  if (el.labels && el.labels.length && [...el.labels].some((l) => l.textContent.trim())) return false;
  if ((el.tagName === 'BUTTON' || el.tagName === 'A') && el.textContent.trim()) return false;
  if (el.tagName === 'A' && el.querySelector('img[alt]:not([alt=""])')) return false;
  return true;
});
return nameless.map((el) => el.outerHTML.slice(0, 120));
"""

CONTRAST = """
function rgb(text) {
  const m = text.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const p = m[1].split(',').map((x) => parseFloat(x));
  return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
}
function luminance(c) {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
}
function background(el) {
  for (let node = el; node; node = node.parentElement) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c && c.a > 0.5) return c;
  }
  return { r: 255, g: 255, b: 255, a: 1 };
}
const failures = [];
for (const el of document.querySelectorAll('body *')) {
  if (!el.getClientRects().length) continue;
  if (el.closest('[disabled], .skip-link, img')) continue;
  const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  if (!own) continue;
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden' || style.clip === 'rect(0px, 0px, 0px, 0px)') continue;
  const fg = rgb(style.color), bg = background(el);
  const l1 = luminance(fg), l2 = luminance(bg);
  const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  if (ratio < 4.5) failures.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
}
return failures;
"""


def tab_through(driver, limit=250):
    """Presses Tab from the first control of the page (the skip link) until focus leaves the page or comes back
    round; returns the ids (or descriptions) reached in order."""
    driver.execute_script("window.scrollTo(0, 0); document.querySelector('.skip-link').focus();")
    reached = []
    for _ in range(limit):
        description = driver.execute_script("""
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            return el.id || (el.dataset.conversationId ? 'conversation:' + el.dataset.conversationId : '')
              || el.tagName.toLowerCase() + ':' + el.textContent.trim().slice(0, 40);
        """)
        if description is None or (reached and description == reached[0]):
            break
        reached.append(description)
        ActionChains(driver).send_keys(Keys.TAB).perform()  # (send_keys on a file input would pick a file)
    return reached


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def user_message_exists(emulator, conversation_id, label, user_id=None):
    """The API lists a user message whose only part is the text `label`, answering a message (in_reply_to)."""
    messages = emulator.ok("GET", f"/v2/conversations/{conversation_id}/messages?items_per_page=50")["messages"]
    return any(m["actor_type"] == "user" and m["message_parts"] == [{"text": {"content": label}}]
               and (user_id is None or m["actor_id"] == user_id) and m.get("in_reply_to", {}).get("message_id")
               for m in messages)


def enabled_button(driver, label):
    return next((b for b in css(driver, "button.quick-reply") if b.text == label and b.is_enabled()), None)


def bot_flow(driver, emulator, receiver_url):
    """README's "Demo a bot flow": scripts/demo-bot behind the webhooks; a conversation started with the page's form;
    the bot's quick replies, carousel card and dropdown answered by clicking, each answer checked through the API."""
    port = free_port()
    bot = subprocess.Popen([sys.executable, "scripts/demo-bot", "--port", str(port), "--api", emulator.base,
                            "--token", TOKEN], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        bot_url = f"http://127.0.0.1:{port}/freshchat"
        wait_until(lambda: emulator.call("GET", "/", token=None, base=f"http://127.0.0.1:{port}")[0] != 0,
                   "the demo bot listens")
        emulator.ok("PUT", "/_emulator/webhooks", {"urls": [receiver_url, bot_url]}, token=None)
        set_viewport(driver, 1280, 800, False)
        driver.find_element(By.CSS_SELECTOR, '#new-user option[value=""]').click()
        name = driver.find_element(By.ID, "new-user-name")
        name.clear()
        name.send_keys("Ines")
        driver.find_element(By.ID, "new-user-email").send_keys("ines.moreau@example.com")
        message = driver.find_element(By.ID, "new-message")
        message.clear()
        message.send_keys("Hello! I would like my parcel delivered.")
        driver.find_element(By.ID, "new-conversation-submit").click()
        wait_until(lambda: driver.find_element(By.ID, "new-conversation-status").text == "Conversation created.",
                   "the form's conversation is created and opened")
        conversation_id = driver.execute_script("return location.hash.slice(1)")
        user_id = emulator.ok("GET", "/v2/users?email=ines.moreau%40example.com")["users"][0]["id"]
        log(f"started conversation {conversation_id} with the form; answering the demo bot")

        click(lambda: enabled_button(driver, "See delivery plans"), "the bot's menu is shown")
        click(lambda: enabled_button(driver, "Choose Express"), "the bot's carousel is shown")
        wait_until(lambda: user_message_exists(emulator, conversation_id, "Choose Express", user_id),
                   "the API lists the carousel answer")
        click(lambda: enabled_button(driver, "Pick a time slot"), "the bot's menu is shown again")
        dropdown = lambda: next((s for s in css(driver, ".dropdown select") if s.is_enabled()), None)
        click(lambda: dropdown() and dropdown().find_element(By.CSS_SELECTOR, 'option[value="Evening (17-21)"]'),
              "the bot's dropdown is shown and an answer picked")
        click(lambda: dropdown() and dropdown().find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, "button"),
              "the dropdown's answer is sent")
        wait_until(lambda: user_message_exists(emulator, conversation_id, "Evening (17-21)", user_id),
                   "the API lists the dropdown answer")
        click(lambda: enabled_button(driver, "Talk to a human"), "the bot answers the dropdown")
        wait_until(lambda: "The customer asked for a human" in visible_text(driver, ".message-private"),
                   "the bot's private note is shown")
        group_id = wait_until(
            lambda: emulator.ok("GET", f"/v2/conversations/{conversation_id}").get("assigned_group_id"),
            "the bot assigned the conversation to a group")
        group = next(g for g in emulator.ok("GET", "/v2/groups?items_per_page=100")["groups"] if g["id"] == group_id)
        item = f'[data-conversation-id="{conversation_id}"]'
        wait_until(lambda: group["name"] in driver.find_element(By.CSS_SELECTOR, item).text
                   and "assigned to" in driver.find_element(By.CSS_SELECTOR, item).text,
                   "the list shows the bot's assignment and its last message live")
        wait_until(lambda: group["name"] in driver.find_element(By.ID, "chat-meta").text,
                   "the chat header shows the group")
        emulator.ok("PUT", "/_emulator/webhooks", {"urls": [receiver_url]}, token=None)
        driver.execute_script("document.activeElement && document.activeElement.blur();")
        log("the demo bot's quick replies, carousel and dropdown were answered from the page")
    finally:
        bot.terminate()
        bot.wait(10)


def workspaces_check(binary, driver):
    """With --workspaces and --admin-token: the page asks for the admin token, then shows and follows live only the
    workspace of its ?token=."""
    emulator = Emulator(binary, extra=["--workspaces", "--admin-token", "admin-secret"])
    try:
        channel = emulator.ok("GET", "/v2/channels", token="team-a")["channels"][0]["id"]

        def start(token, text):
            user = emulator.ok("POST", "/v2/users", {"first_name": "Wes", "email": f"{token}@example.com"}, token=token)
            return emulator.ok("POST", "/v2/conversations", {
                "channel_id": channel, "users": [{"id": user["id"]}],
                "messages": [text_message("user", user["id"], text)]}, token=token, expect=(202,))["conversation_id"]

        in_a = start("team-a", "Hello from team A")
        driver.get(emulator.base + "/_emulator/ui?token=team-a")
        wait_until(lambda: "?admin_token=" in driver.find_element(By.ID, "page-error").text,
                   "the page asks for the admin token")
        driver.get(emulator.base + "/_emulator/ui?token=team-a&admin_token=admin-secret")
        wait_until(lambda: "Live" in driver.find_element(By.ID, "connection").text, "team A's page is live")
        wait_until(lambda: css(driver, f'[data-conversation-id="{in_a}"]'), "team A's conversation is listed")
        in_b = start("team-b", "Hello from team B")
        again_a = start("team-a", "Team A again")
        wait_until(lambda: css(driver, f'[data-conversation-id="{again_a}"]'), "team A's new conversation shows live")
        assert not css(driver, f'[data-conversation-id="{in_b}"]'), "team B's conversation stays in team B's workspace"
        assert not driver.find_element(By.ID, "page-error").is_displayed(), driver.find_element(By.ID, "page-error").text
        log("--workspaces and --admin-token: the page shows and follows its own workspace only")
    finally:
        emulator.stop()


def run(binary, screenshots, allow_polling):
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), WebhookReceiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    receiver_url = f"http://127.0.0.1:{receiver.server_address[1]}/freshchat-webhook"
    emulator = Emulator(binary, receiver_url)
    driver = None
    try:
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1280,800", "--force-color-profile=srgb", "--lang=en-US"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "SEVERE"})
        driver = webdriver.Chrome(options=options, service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")))
        set_viewport(driver, 1280, 800, False)

        # The reference data the scenario uses, through the public API.
        channel = emulator.ok("GET", "/v2/channels?items_per_page=100")["channels"][0]
        agent = next(a for a in emulator.ok("GET", "/v2/agents?items_per_page=100&is_deactivated=false")["agents"]
                     if a.get("groups"))
        # The agent must belong to the group the conversation is assigned to (docs L1466).
        group = next(g for g in emulator.ok("GET", "/v2/groups?items_per_page=100")["groups"]
                     if g["id"] in agent["groups"])
        user = emulator.ok("POST", "/v2/users", {"first_name": "Maya", "last_name": "Fischer",
                                                  "email": "maya.fischer@example.com"})

        log(f"opening {emulator.base}/_emulator/ui")
        driver.get(emulator.base + "/_emulator/ui")
        wait_until(lambda: ("Live" if not allow_polling else "") in driver.find_element(By.ID, "connection").text
                   and "Connecting" not in driver.find_element(By.ID, "connection").text,
                   "the page is connected to /_emulator/events")
        assert not driver.find_element(By.ID, "page-error").is_displayed(), \
            driver.find_element(By.ID, "page-error").text

        # An uploaded image, as the customer's widget would send it.
        boundary = "browsercheckboundary"
        upload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"receipt.png\"\r\n"
                  f"Content-Type: image/png\r\n\r\n").encode() + png(240, 120) + f"\r\n--{boundary}--\r\n".encode()
        image = emulator.ok("POST", "/v2/images/upload", raw=upload,
                            content_type=f"multipart/form-data; boundary={boundary}")

        conversation_id = create_conversation(emulator, user["id"], channel["id"], agent["id"], image["url"])
        log(f"created conversation {conversation_id} through the API; waiting for it on the page (no reload)")
        item_selector = f'[data-conversation-id="{conversation_id}"]'
        wait_until(lambda: css(driver, item_selector), "the new conversation is listed")
        assert css(driver, f'li.unread {item_selector}'), "a new conversation is marked unread"
        click(lambda: (css(driver, item_selector) or [None])[0], "the conversation opens")
        wait_until(lambda: not css(driver, f'li.unread {item_selector}'), "the opened conversation is read")

        wait_until(lambda: enabled_button(driver, "Track my order"), "the quick reply button is shown")
        # Every other part is rendered as the widget would show it.
        assert len(css(driver, ".cards > li")) == 2, "the carousel shows its two cards"
        assert "Delivery plans" in visible_text(driver, ".carousel-title")
        assert "Private note" in visible_text(driver, ".message-private"), "the private note is marked as such"
        assert css(driver, '.message-user img[src*="/_emulator/files/"]'), "the uploaded image is shown"
        assert "delivery-terms.pdf" in visible_text(driver, ".part-file")
        assert "Conversation routed" in visible_text(driver, ".message-system"), "the system message is shown"
        assert "Open my orders" in visible_text(driver, "a.button-link")
        wait_until(lambda: driver.execute_script(
            "return [...document.querySelectorAll('.message img')].every((i) => i.complete && i.naturalWidth > 0)"),
            "the images are loaded")

        click(lambda: enabled_button(driver, "Track my order"), "the quick reply is clicked")
        log("clicked the quick reply 'Track my order'")

        def user_reply():
            messages = emulator.ok("GET", f"/v2/conversations/{conversation_id}/messages?items_per_page=50")["messages"]
            return next((m for m in messages if m["actor_type"] == "user"
                         and m["message_parts"] == [{"text": {"content": "Track my order"}}]), None)

        reply = wait_until(user_reply, "the API lists the customer's quick-reply answer")
        assert reply["actor_id"] == user["id"], reply
        assert reply["message_type"] == "normal", reply
        wait_until(lambda: "Track my order" in visible_text(driver, ".message-user .part-text"),
                   "the answer is shown in the chat")
        wait_until(lambda: "Track my order" in driver.find_element(By.ID, "message-announcer").get_attribute(
            "textContent"), "the new message is announced to screen readers")
        wait_until(lambda: not any(b.is_enabled() for b in css(driver, "button.quick-reply")),
                   "answered quick replies are disabled")

        # The customer uploads an image from the page: POST /v2/images/upload, then a message with its URL.
        photo = os.path.join(emulator.directory, "parcel.png")
        with open(photo, "wb") as file:
            file.write(png(160, 90))
        driver.find_element(By.ID, "user-image").send_keys(photo)
        driver.find_element(By.ID, "user-text").send_keys("A photo of the parcel")
        driver.find_element(By.ID, "user-send").click()

        def uploaded_photo():
            messages = emulator.ok("GET", f"/v2/conversations/{conversation_id}/messages?items_per_page=50")["messages"]
            return next((m for m in messages if m["actor_type"] == "user" and len(m["message_parts"]) == 2
                         and "/_emulator/files/" in m["message_parts"][0].get("image", {}).get("url", "")
                         and m["message_parts"][1] == {"text": {"content": "A photo of the parcel"}}), None)

        sent = wait_until(uploaded_photo, "the API lists the customer's uploaded image")
        wait_until(lambda: css(driver, f'[data-message-id="{sent["id"]}"] img'), "the uploaded image is shown")

        # The agent console: assign, reply, resolve, CSAT.
        driver.find_element(By.CSS_SELECTOR, f'#assign-group option[value="{group["id"]}"]').click()
        members = {a["id"] for a in emulator.ok("GET", f"/v2/agents?items_per_page=100&groups={group['id']}")["agents"]}
        offered = {o.get_attribute("value") for o in css(driver, "#assign-agent option")} - {""}
        assert offered and offered <= members, f"the console offers only the group's agents: {offered} vs {members}"
        driver.find_element(By.CSS_SELECTOR, f'#assign-agent option[value="{agent["id"]}"]').click()
        driver.find_element(By.ID, "assign-submit").click()
        wait_until(lambda: emulator.ok("GET", f"/v2/conversations/{conversation_id}").get("assigned_agent_id")
                   == agent["id"], "the API shows the conversation assigned")
        wait_until(lambda: driver.find_element(By.ID, "conversation-status").text == "assigned",
                   "the console shows the assignment")
        driver.find_element(By.ID, "agent-text").send_keys("Your order ships today.")
        driver.find_element(By.ID, "agent-send").click()
        wait_until(lambda: "Your order ships today." in visible_text(driver, ".message-agent .part-text"),
                   "the agent's reply is shown")

        driver.find_element(By.ID, "resolve-button").click()
        wait_until(lambda: driver.find_element(By.ID, "conversation-status").text == "resolved",
                   "the console shows the conversation resolved")
        assert emulator.ok("GET", f"/v2/conversations/{conversation_id}")["status"] == "resolved"
        wait_until(lambda: "resolved" in driver.find_element(By.CSS_SELECTOR, item_selector).text,
                   "the list shows the conversation resolved")
        log("resolved from the console")

        driver.find_element(By.ID, "csat-submit").click()
        wait_until(lambda: "CSAT rating submitted" in driver.find_element(By.ID, "console-error").text,
                   "the CSAT rating is accepted")

        # The audience's panels.
        wait_until(lambda: "delivered" in visible_text(driver, "#deliveries"), "a webhook delivery shows as delivered")
        wait_until(lambda: "/v2/csat/" in visible_text(driver, "#requests"), "the API requests panel lists the CSAT call")
        assert f"/v2/conversations/{conversation_id}/messages" in visible_text(driver, "#requests")
        assert "message_create" in WebhookReceiver.received, WebhookReceiver.received

        # Keyboard access and labels.
        reached = tab_through(driver)
        expected = ["status-filter", f"conversation:{conversation_id}", "new-user", "new-channel", "new-message",
                    "new-conversation-submit", "user-text", "user-image", "user-send", "assign-group",
                    "assign-agent", "assign-submit", "reopen-button", "agent-sender", "agent-kind-normal",
                    "agent-text", "agent-send", "csat-resolved", "csat-rating", "csat-feedback", "csat-submit",
                    "deliveries-region", "requests-show-reads", "requests-region"]
        missing = [name for name in expected if name not in reached]
        assert not missing, f"Tab does not reach {missing}; it reaches {reached}"
        assert any(name.startswith("button:Choose Express") or name.startswith("a:Open my orders")
                   for name in reached), f"Tab reaches the message's buttons and links: {reached}"
        nameless = driver.execute_script(ACCESSIBLE_NAMES)
        assert not nameless, f"controls without an accessible name: {nameless}"
        low_contrast = driver.execute_script(CONTRAST)
        assert not low_contrast, f"text below 4.5:1 contrast: {low_contrast}"
        log(f"Tab reaches {len(reached)} controls; every control is labelled; contrast >= 4.5:1")

        # Screenshots: desktop, then a phone-sized viewport with the chat in view.
        os.makedirs(screenshots, exist_ok=True)
        driver.execute_script("document.activeElement && document.activeElement.blur();"
                              "document.getElementById('console').scrollTop = 10000;"
                              "document.getElementById('messages').scrollTop = 1e6;")  # Tab scrolled them
        driver.save_screenshot(os.path.join(screenshots, "desktop.png"))
        bot_flow(driver, emulator, receiver_url)
        driver.save_screenshot(os.path.join(screenshots, "bot-flow.png"))

        set_viewport(driver, 390, 844, True)
        wait_until(lambda: driver.execute_script("return window.innerWidth") == 390,
                   "the viewport is phone-sized", 5)
        driver.execute_script("document.getElementById('chat').scrollIntoView();"
                              "document.getElementById('messages').scrollTop = 1e6;")
        driver.save_screenshot(os.path.join(screenshots, "phone.png"))
        low_contrast = driver.execute_script(CONTRAST)
        assert not low_contrast, f"text below 4.5:1 contrast at phone width: {low_contrast}"
        log(f"saved {screenshots}/desktop.png, {screenshots}/bot-flow.png and {screenshots}/phone.png")

        workspaces_check(binary, driver)

        errors = [] if allow_polling else [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
        assert not errors, f"the browser console has errors: {errors}"
    except (AssertionError, WebDriverException, RuntimeError):
        if driver is not None:
            log("viewport " + str(driver.execute_script(
                "return [window.innerWidth, document.documentElement.scrollWidth, "
                "[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 392)"
                ".slice(0, 8).map((e) => e.tagName + '#' + e.id + '.' + e.className + ' ' + e.getBoundingClientRect().right)]")))
            try:
                os.makedirs(screenshots, exist_ok=True)
                driver.save_screenshot(os.path.join(screenshots, "failure.png"))
                log(f"page at failure saved to {screenshots}/failure.png")
            except WebDriverException:
                pass
        log("emulator output:\n" + emulator.output())
        raise
    finally:
        if driver is not None:
            driver.quit()
        emulator.stop()
        receiver.shutdown()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", default=".build/debug/freshchat-emulator")
    parser.add_argument("--screenshots", default="screenshots")
    parser.add_argument("--allow-polling", action="store_true",
                        help="accept a page that polls because GET /_emulator/events is missing (development only)")
    arguments = parser.parse_args()
    try:
        run(arguments.binary, arguments.screenshots, arguments.allow_polling)
    except AssertionError as error:
        log(f"FAIL: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
