// Hotline pages: small progressive enhancements, no inline scripts (CSP).
(function () {
  "use strict";

  // The page's language (html lang): Chinese unless the visitor chose
  // English; t picks the text, as the server's catalogue does.
  var EN = document.documentElement.lang === "en";
  function t(zh, en) { return EN ? en : zh; }

  // Live countdowns on deadlines: <span class="due" data-due="RFC3339">,
  // the same words as the server's remaining().
  function remaining(ms) {
    var late = ms < 0, d = Math.abs(ms) / 60000, n, unit;
    if (d >= 2880) { n = Math.floor(d / 1440); unit = t("天", "d"); }
    else if (d >= 60) { n = Math.floor(d / 60); unit = t("小时", "h"); }
    else { n = Math.max(1, Math.floor(d)); unit = t("分钟", "min"); }
    if (EN) return n + unit + (late ? " overdue" : " left");
    return (late ? "超期" : "剩余") + n + unit;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var ms = Date.parse(el.getAttribute("data-due")) - now;
      var kind = el.textContent.split(" ")[0];
      el.textContent = kind + " " + remaining(ms);
      if (ms < 0) { el.classList.remove("warning", "ok"); el.classList.add("overdue"); }
    });
  }
  tick();
  setInterval(tick, 30000);

  // Running durations on the seat wall: <span data-since="RFC3339"> in an
  // element with data-now (the server's time when it rendered), the same
  // words as the server's span(); the browser's clock may differ.
  var skew = 0, seenNow = "";
  function span(ms) {
    var s = Math.max(0, Math.round(ms / 1000)), m = Math.floor(s / 60);
    if (m >= 60) return EN ? Math.floor(m / 60) + "h " + m % 60 + "m" : Math.floor(m / 60) + "小时" + m % 60 + "分";
    return EN ? m + "m " + s % 60 + "s" : m + "分" + s % 60 + "秒";
  }
  function ticks() {
    var box = document.querySelector("[data-now]");
    if (!box) return;
    if (box.getAttribute("data-now") !== seenNow) {
      seenNow = box.getAttribute("data-now");
      skew = Date.parse(seenNow) - Date.now();
    }
    var now = Date.now() + skew;
    box.querySelectorAll("[data-since]").forEach(function (el) {
      el.textContent = span(now - Date.parse(el.getAttribute("data-since")));
    });
  }
  if (document.querySelector("[data-now]")) setInterval(ticks, 1000);

  // Ctrl+Enter submits a form that asks for it (the scorecard).
  document.querySelectorAll("form[data-ctrl-enter]").forEach(function (f) {
    f.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); f.requestSubmit(); }
    });
  });

  // The seat status switches as soon as it is chosen.
  document.querySelectorAll("form.seat select").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });

  // Ctrl+Enter submits the intake form (as 提交派单).
  var intake = document.getElementById("intake");
  if (intake) {
    intake.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        intake.querySelector("button[value=submit]").click();
      }
    });
  }

  // Caller history: the caller's earlier tickets as soon as the number is in.
  var phone = document.getElementById("phone");
  var history = document.getElementById("history");
  var statusLabel = EN ?
    { accepted: "Accepted", pending_dispatch: "To dispatch", dispatched: "To acknowledge", handling: "In hand", suspended: "Suspended",
      replied: "To review", concluded: "Concluded", archived: "Archived", merged: "Merged", cancelled: "Cancelled" } :
    { accepted: "已受理", pending_dispatch: "待派单", dispatched: "待签收", handling: "办理中", suspended: "挂起",
      replied: "待审核", concluded: "已办结", archived: "已归档", merged: "已并单", cancelled: "已作废" };
  function text(tag, s, cls) { var el = document.createElement(tag); el.textContent = s; if (cls) el.className = cls; return el; }
  var openStatus = { accepted: 1, pending_dispatch: 1, dispatched: 1, handling: 1, suspended: 1, replied: 1 };
  // A repeat call about an open ticket is attached to it (urge or added
  // information) instead of becoming a new ticket; the intake form's
  // content is what the caller said.
  function repeatCall(tk) {
    var box = document.createElement("span");
    box.className = "repeat-call";
    var kind = document.createElement("select");
    kind.append(new Option(t("催办", "Urge"), "urge"), new Option(t("补充诉求", "Add information"), "info"));
    var go = text("button", t("记为重复来电", "Attach this call"));
    go.type = "button";
    go.addEventListener("click", function () {
      var content = intake.querySelector("[name=content]").value.trim();
      if (!content) { box.replaceChildren(kind, go, text("span", t(" 请先在“诉求内容”中记下来电人所说。", " First write what the caller said under Content."), "error")); return; }
      go.disabled = true;
      fetch("/api/v1/tickets/" + tk.id + "/supplement", { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": intake.querySelector("[name=csrf_token]").value },
        body: JSON.stringify({ kind: kind.value, content: content }) })
        .then(function (r) { return r.json().then(function (d) { if (!r.ok) throw new Error(d.error.message); return d; }); })
        .then(function (d) {
          box.replaceChildren(text("span", t(" 已记入该工单：重复来电 " + d.repeat_calls + " 次，催办 " + d.urge_count + " 次，无需新建工单。",
            " Attached: " + d.repeat_calls + " repeat calls, " + d.urge_count + " urges; no new ticket needed."), "notice"));
        })
        .catch(function (e) { go.disabled = false; box.replaceChildren(kind, go, text("span", " " + e.message, "error")); });
    });
    box.append(" ", kind, go);
    return box;
  }
  function showHistory() {
    var p = phone.value.replace(/\D/g, "");
    if (p.length < 5) { history.replaceChildren(text("p", history.getAttribute("data-empty"), "empty")); return; }
    history.replaceChildren(text("p", t("正在查询…", "Looking up…"), "empty"));
    fetch("/api/v1/caller-history?phone=" + encodeURIComponent(p), { credentials: "same-origin" })
      .then(function (r) {
        if (r.status === 429 || r.status === 403) return r.json().then(function (e) { throw new Error(e.error.message); });
        if (!r.ok) throw new Error(t("查询来电历史失败，请稍后重试。", "Could not load the caller's history; please try again."));
        return r.json();
      })
      .then(function (d) {
        if (!d.items.length) { history.replaceChildren(text("p", t("该号码没有历史工单。", "No earlier tickets from this number."), "empty")); return; }
        var ul = document.createElement("ul");
        d.items.forEach(function (t) {
          var li = document.createElement("li");
          var a = text("a", t.number + " " + t.title);
          a.href = "/tickets/" + t.id;
          li.append(a, text("span", " " + t.created_at.slice(0, 10) + " " + (statusLabel[t.status] || t.status), "muted"));
          if (openStatus[t.status]) li.append(repeatCall(t));
          ul.append(li);
        });
        history.replaceChildren(text("p", t("共 " + d.total + " 张历史工单：", d.total + " earlier tickets:")), ul);
      })
      .catch(function (e) { history.replaceChildren(text("p", e.message, "error")); });
  }
  // Each lookup is counted against the agent's limits and audited, so only
  // a whole number is looked up: an 11-digit mobile number as soon as it
  // is typed, any other number when the field is left.
  if (phone && history) {
    var looked = "";
    var lookup = function (whole) {
      var p = phone.value.replace(/\D/g, "");
      if (p === looked || (whole && !/^1\d{10}$/.test(p))) return;
      looked = p;
      showHistory();
    };
    phone.addEventListener("input", function () { lookup(true); });
    phone.addEventListener("change", function () { lookup(false); });
    if (phone.value) lookup(false);
  }

  // Type-ahead for the category picker.
  var filter = document.getElementById("category-filter");
  var cat = document.getElementById("category");
  if (filter && cat) {
    filter.addEventListener("input", function () {
      var q = filter.value.trim(), first = null;
      Array.prototype.forEach.call(cat.options, function (o) {
        var hit = !q || o.value === "" || o.text.indexOf(q) >= 0;
        o.hidden = !hit;
        if (hit && o.value && !first) first = o;
      });
      if (first && q) cat.value = first.value;
    });
  }

  // Live pages: lists refresh their content when tickets change (server-
  // sent events); a ticket page offers a reload when that ticket changes.
  var live = document.body.getAttribute("data-live");
  var pops = document.body.hasAttribute("data-screen-pop");
  if ((live || pops) && window.EventSource) {
    var es = new EventSource("/events"), pending = null;
    es.addEventListener("open", function () { document.body.setAttribute("data-stream", "open"); });
    // The team lead's wall refreshes as seats and calls change.
    es.addEventListener("wall", function () {
      if (live !== "list" || !document.querySelector("table.wall, .figures")) return;
      clearTimeout(pending);
      pending = setTimeout(refreshList, 500);
    });
    // A new or handled early warning: the home page's tabs and the
    // warning list refresh.
    es.addEventListener("warning", function () {
      if (live !== "list") return;
      clearTimeout(pending);
      pending = setTimeout(refreshList, 800);
    });
    // Screen pop: the call this agent just answered opens intake with the
    // caller's number and history — unless an appeal is being typed here,
    // which gets a link instead.
    es.addEventListener("call", function (e) {
      var c = JSON.parse(e.data), url = "/intake?call=" + encodeURIComponent(c.call_id);
      var typing = intake && intake.querySelector("[name=content]").value.trim() !== "";
      if (!typing) { location.assign(url); return; }
      var p = text("p", t("新来电已接通：", "A new call is connected: "), "notice");
      var a = text("a", t("打开受理登记", "open intake"));
      a.href = url;
      p.append(a);
      document.querySelector("main").prepend(p);
    });
    es.addEventListener("ticket", function (e) {
      var c = JSON.parse(e.data);
      if (live === "list") {
        clearTimeout(pending);
        pending = setTimeout(refreshList, 800);
      } else if (live === "ticket:" + c.ticket_id && !document.getElementById("changed")) {
        var p = text("p", t("该工单刚刚有了新的办理记录。", "This ticket has just changed."), "notice");
        p.id = "changed";
        var a = text("a", t(" 刷新查看", " Reload"));
        a.href = location.pathname;
        p.append(a);
        document.querySelector("main").prepend(p);
      }
    });
  }
  function refreshList() {
    // Not while something is being typed on the page (the wall's findings).
    var typing = document.activeElement && document.activeElement.matches("main input[type=text], main input:not([type]), main textarea");
    if (typing && document.activeElement.value !== "") { clearTimeout(pending); pending = setTimeout(refreshList, 3000); return; }
    fetch(location.href, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("main");
        if (fresh) {
          document.querySelector("main").replaceWith(fresh);
          document.body.setAttribute("data-refreshed", String(Date.now()));
          tick();
        }
      })
      .catch(function () {});
  }

  // Agent assist: while the appeal is typed, the best knowledge-base
  // articles; "insert" puts the answer script into the answer and links the
  // article to the ticket (it then counts toward the direct-answer rate).
  var kb = document.getElementById("kb-suggest");
  if (kb && intake) {
    var kbTimer, kbLast = "";
    var title = intake.querySelector("[name=title]"), content = intake.querySelector("[name=content]");
    var answer = document.getElementById("answer"), linked = document.getElementById("kb-article");
    var kbSearch = function () {
      var q = (title.value + " " + content.value).trim().slice(0, 200);
      if (q === kbLast) return;
      kbLast = q;
      if (!q) { kb.replaceChildren(text("p", kb.getAttribute("data-empty"), "empty")); return; }
      fetch("/api/v1/kb/search?page_size=5&q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (d) {
          if (!d.items.length) { kb.replaceChildren(text("p", kb.getAttribute("data-none"), "empty")); return; }
          var ol = document.createElement("ol");
          d.items.forEach(function (h) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.innerHTML = h.title_html; // escaped by the server, with <mark> only
            a.href = "/kb/" + h.id;
            a.target = "_blank";
            var snip = document.createElement("div");
            snip.className = "snippet";
            snip.innerHTML = h.snippet; // escaped by the server, with <mark> only
            var b = text("button", kb.getAttribute("data-insert"));
            b.type = "button";
            b.setAttribute("data-article", h.id);
            b.addEventListener("click", function () {
              answer.value = h.answer || h.body.slice(0, 300);
              linked.value = h.id;
              document.getElementById("kb-linked").hidden = false;
              answer.focus();
            });
            li.append(a, " ", b, snip);
            ol.append(li);
          });
          kb.replaceChildren(ol);
        })
        .catch(function () { kb.replaceChildren(text("p", kb.getAttribute("data-failed"), "error")); });
    };
    [title, content].forEach(function (el) {
      el.addEventListener("input", function () { clearTimeout(kbTimer); kbTimer = setTimeout(kbSearch, 400); });
    });
    if (title.value || content.value) kbSearch();
  }

  // Dispatch suggestions beside the knowledge base: the models' top
  // categories (one click selects it) and units, and the words behind them.
  var ds = document.getElementById("dispatch-suggest");
  if (ds && intake) {
    var dsTimer, dsLast = "";
    var dsTitle = intake.querySelector("[name=title]"), dsContent = intake.querySelector("[name=content]");
    var dsRun = function () {
      var q = (dsTitle.value + "\n" + dsContent.value).trim();
      if (q === dsLast) return;
      dsLast = q;
      if (!q) { ds.replaceChildren(text("p", ds.getAttribute("data-empty"), "empty")); return; }
      fetch("/api/v1/dispatch/suggest?text=" + encodeURIComponent(q.slice(0, 2000)), { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (d) {
          if (!d.units.length && !d.categories.length) { ds.replaceChildren(text("p", ds.getAttribute("data-off"), "empty")); return; }
          var out = [];
          if (d.categories.length) {
            var ol = document.createElement("ol");
            d.categories.forEach(function (c) {
              var li = text("li", c.name + " " + Math.round(c.prob * 100) + "% ");
              var b = text("button", ds.getAttribute("data-use"));
              b.type = "button";
              b.setAttribute("data-category", c.id);
              b.addEventListener("click", function () { cat.value = String(c.id); });
              li.append(b);
              ol.append(li);
            });
            out.push(ol);
          }
          if (d.units.length) {
            out.push(text("p", ds.getAttribute("data-units") + d.units.map(function (u) {
              return u.name + " " + Math.round(u.prob * 100) + "%";
            }).join(" · ")));
          }
          if (d.words.length) out.push(text("p", ds.getAttribute("data-words") + d.words.join(t("、", ", ")), "muted"));
          ds.replaceChildren.apply(ds, out);
        })
        .catch(function () { ds.replaceChildren(text("p", ds.getAttribute("data-failed"), "error")); });
    };
    [dsTitle, dsContent].forEach(function (el) {
      el.addEventListener("input", function () { clearTimeout(dsTimer); dsTimer = setTimeout(dsRun, 500); });
    });
    if (dsTitle.value || dsContent.value) dsRun();
  }

  // Possible duplicates: open tickets about the same place and problem,
  // fetched as the appeal is typed (a merge is done on the ticket page).
  var sim = document.getElementById("similar");
  if (sim && intake) {
    var simTimer, simLast = "";
    var simTitle = intake.querySelector("[name=title]"), simContent = intake.querySelector("[name=content]");
    var simRegion = intake.querySelector("[name=location_unit_id]");
    var simCategory = intake.querySelector("[name=category_id]");
    var simRun = function () {
      var key = simTitle.value + "|" + simContent.value + "|" + simRegion.value + "|" + simCategory.value;
      if (key === simLast || !(simTitle.value + simContent.value).trim()) return;
      simLast = key;
      fetch("/api/v1/tickets/similar?title=" + encodeURIComponent(simTitle.value.slice(0, 200)) + "&content=" +
        encodeURIComponent(simContent.value.slice(0, 1500)) + "&location_unit_id=" + encodeURIComponent(simRegion.value) +
        "&category_id=" + encodeURIComponent(simCategory.value),
        { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (d) {
          if (!d.items.length) { sim.replaceChildren(text("p", sim.getAttribute("data-none"), "empty")); return; }
          var ul = document.createElement("ul");
          d.items.forEach(function (t) {
            var li = document.createElement("li");
            var a = text("a", t.number + " " + t.title);
            a.href = "/tickets/" + t.id;
            a.target = "_blank";
            li.append(a, text("span", " " + Math.round(t.similarity * 100) + "%", "muted"));
            ul.append(li);
          });
          sim.replaceChildren(ul);
        })
        .catch(function () {});
    };
    [simTitle, simContent, simRegion, simCategory].forEach(function (el) {
      el.addEventListener("input", function () { clearTimeout(simTimer); simTimer = setTimeout(simRun, 600); });
    });
  }

  // Statistics charts: <div class="chart" data-chart="ECharts option"
  // [data-links="[url per data point]"]>, drawn once the deferred
  // echarts script has run; a bar with a link drills down. The period
  // picker shows the date fields its kind needs.
  document.addEventListener("DOMContentLoaded", function () {
    var picker = document.querySelector("form.period");
    if (picker) {
      var kind = picker.querySelector("[name=kind]");
      var show = function () {
        var custom = kind.value === "custom";
        picker.querySelectorAll(".custom").forEach(function (el) { el.hidden = !custom; el.querySelector("input").disabled = !custom; });
        picker.querySelectorAll(".at").forEach(function (el) { el.hidden = custom; el.querySelector("input").disabled = custom; });
      };
      kind.addEventListener("change", show);
      show();
    }
    if (!window.echarts) return;
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(JSON.parse(el.getAttribute("data-chart")));
      var links = el.getAttribute("data-links");
      if (links) {
        links = JSON.parse(links);
        chart.on("click", function (p) { if (links[p.dataIndex]) location.href = links[p.dataIndex]; });
      }
      el.setAttribute("data-drawn", "");
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  });
})();
