/*
 * The directory without reloading: the search box updates the results as one types (debounced),
 * a filter or the sort as soon as it changes. The page works without this file: the form is a
 * GET form and the URL holds the whole search. This asks the server for the same page it would
 * render and swaps in its results and filters, and keeps the URL in step (shareable).
 */
(function () {
  'use strict';
  var form = document.querySelector('[data-live-search]');
  if (!form || !window.fetch || !window.DOMParser || !window.history.replaceState) return;
  document.documentElement.classList.add('js');

  var DELAY_MS = 300;
  var timer = null;
  var inFlight = null;
  var status = form.querySelector('[data-live-status]');

  function url() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === 'string' && value.trim() !== '') params.append(name, value.trim());
    });
    var query = params.toString();
    return form.getAttribute('action') + (query ? '?' + query : '');
  }

  function swap(doc, name) {
    var fresh = doc.querySelector('[data-live-region="' + name + '"]');
    var current = form.querySelector('[data-live-region="' + name + '"]');
    if (fresh && current) current.innerHTML = fresh.innerHTML;
  }

  function update() {
    var target = url();
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    var focused = document.activeElement && document.activeElement.id;
    fetch(target, { headers: { Accept: 'text/html' }, signal: inFlight.signal, credentials: 'same-origin' })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        swap(doc, 'results');
        swap(doc, 'filters');
        window.history.replaceState(null, '', target);
        if (focused && focused !== 'q') {
          var again = document.getElementById(focused);
          if (again) again.focus();
        }
        var count = form.querySelector('[data-result-count]');
        if (status) status.textContent = count ? count.textContent : '';
      })
      .catch(function (error) {
        if (error && error.name === 'AbortError') return;
        window.location.assign(target);
      });
  }

  form.addEventListener('input', function (event) {
    if (event.target && event.target.id === 'q') {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, DELAY_MS);
    }
  });
  form.addEventListener('change', function (event) {
    if (event.target && event.target.id !== 'q') update();
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    update();
  });
})();
