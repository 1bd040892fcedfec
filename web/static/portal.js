// The citizen portal: the "获取验证码" button does the proof of work (a
// SHA-256 whose first bits are zero, see web/pow.go) and asks for a code.
(function () {
  "use strict";
  function zeroBits(bytes) {
    var n = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { n += 8; continue; }
      for (var b = 7; b >= 0; b--) { if (bytes[i] & (1 << b)) return n; n++; }
    }
    return n;
  }
  async function solve(challenge) {
    var parts = challenge.split(".");
    var need = parseInt(parts[parts.length - 2], 10);
    var enc = new TextEncoder();
    for (var nonce = 0; ; nonce++) {
      var h = new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(challenge + ":" + nonce)));
      if (zeroBits(h) >= need) return String(nonce);
    }
  }
  document.addEventListener("click", async function (e) {
    var btn = e.target.closest("[data-send-code]");
    if (!btn) return;
    var form = btn.form, status = form.querySelector(".status");
    var phone = form.elements.phone.value;
    if (!/^1\d{10}$/.test(phone)) { status.textContent = "请先填写正确的11位手机号码"; return; }
    btn.disabled = true;
    status.textContent = "正在验证…";
    try {
      var challenge = form.dataset.challenge;
      var nonce = await solve(challenge);
      var body = new URLSearchParams({ phone: phone, purpose: btn.dataset.sendCode, pow_challenge: challenge, pow_nonce: nonce });
      var resp = await fetch("/portal/code", { method: "POST", body: body });
      var out = await resp.json();
      if (resp.ok) {
        status.textContent = "验证码已发送至 " + out.phone + "，10分钟内有效";
        var left = 60;
        var timer = setInterval(function () {
          btn.textContent = left + " 秒后重发";
          if (--left < 0) { clearInterval(timer); btn.disabled = false; btn.textContent = "获取验证码"; }
        }, 1000);
      } else {
        status.textContent = out.error.message;
        btn.disabled = false;
      }
      var fresh = await fetch(location.pathname, { headers: { "Accept": "text/html" } });
      var doc = new DOMParser().parseFromString(await fresh.text(), "text/html");
      var f = doc.getElementById(form.id);
      if (f) form.dataset.challenge = f.dataset.challenge; // a challenge is good once
    } catch (err) {
      status.textContent = "网络异常，请稍后再试";
      btn.disabled = false;
    }
  });
})();
