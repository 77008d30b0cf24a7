/* 手写签批: a signature pad on a <canvas> with pointer events (finger, stylus or mouse).
   Markup (flow/item.html):
     <div data-signature-pad>
       <canvas class="signature-canvas" width="600" height="200"></canvas>
       <input type="hidden" name="signature">            <- receives a PNG data URL when something is drawn
       <button type="button" data-signature-clear>清除重写</button> <span data-signature-state></span>
     </div>
   No inline script (CSP); the server checks and re-encodes the PNG (zhongshu/flow/signature.py). */
(function () {
  "use strict";

  function setup(pad) {
    var canvas = pad.querySelector("canvas");
    var input = pad.querySelector("input[type=hidden]");
    var state = pad.querySelector("[data-signature-state]");
    var clear = pad.querySelector("[data-signature-clear]");
    if (!canvas || !input || !canvas.getContext) return;
    var ctx = canvas.getContext("2d");
    var drawing = false, last = null, inked = false;

    function pen() {
      ctx.lineWidth = 3;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
    }

    function point(e) {
      var r = canvas.getBoundingClientRect();
      return {
        x: (e.clientX - r.left) * (canvas.width / (r.width || canvas.width)),
        y: (e.clientY - r.top) * (canvas.height / (r.height || canvas.height))
      };
    }

    function mark(text) { if (state) state.textContent = text; }

    function save() {
      if (!inked) return;
      input.value = canvas.toDataURL("image/png");
      mark("已签批，将随意见一并提交");
    }

    function down(e) {
      if (e.button !== undefined && e.button !== 0 && e.pointerType === "mouse") return;
      e.preventDefault();
      drawing = true;
      last = point(e);
      if (canvas.setPointerCapture && e.pointerId !== undefined) {
        try { canvas.setPointerCapture(e.pointerId); } catch (err) { /* not capturable: fine */ }
      }
      pen();
      ctx.beginPath();
      ctx.arc(last.x, last.y, ctx.lineWidth / 2, 0, Math.PI * 2);
      ctx.fillStyle = "#111";
      ctx.fill();
      inked = true;
    }

    function move(e) {
      if (!drawing) return;
      e.preventDefault();
      var p = point(e);
      pen();
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      last = p;
    }

    function up() {
      if (!drawing) return;
      drawing = false;
      save();
    }

    canvas.addEventListener("pointerdown", down);
    canvas.addEventListener("pointermove", move);
    canvas.addEventListener("pointerup", up);
    canvas.addEventListener("pointercancel", up);
    canvas.addEventListener("pointerleave", up);
    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        input.value = "";
        inked = false;
        mark("未签批");
      });
    }
    // After a refused submit the page comes back with the drawn value: show it again.
    if (input.value && input.value.indexOf("data:image/png;base64,") === 0) {
      var img = new Image();
      img.onload = function () { ctx.drawImage(img, 0, 0); inked = true; mark("已签批，将随意见一并提交"); };
      img.src = input.value;
    }
  }

  function init() {
    var pads = document.querySelectorAll("[data-signature-pad]");
    for (var i = 0; i < pads.length; i++) setup(pads[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
