// A small GraphQL client for Tally, no build step: documents are the .graphql files beside this
// page, sent by their trusted-document id (SHA-256 of the text) with GET, so the browser's HTTP
// cache revalidates answers with their ETag; live updates come as a subscription over SSE.
(function (global) {
  'use strict';

  var documents = {};

  function TallyError(message, status) {
    this.name = 'TallyError';
    this.message = message;
    this.status = status;
  }
  TallyError.prototype = Object.create(Error.prototype);

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ('0' + b.toString(16)).slice(-2);
    }).join('');
  }

  // The document's text and id; the id needs WebCrypto, which browsers offer on https and localhost.
  function load(name) {
    if (!documents[name]) {
      documents[name] = fetch('graphql/' + name + '.graphql')
        .then(function (response) {
          if (!response.ok) { throw new TallyError('Cannot load the document ' + name, response.status); }
          return response.text();
        })
        .then(function (text) {
          if (!(global.crypto && global.crypto.subtle)) { return { text: text, id: null }; }
          return global.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
            .then(function (hash) { return { text: text, id: hex(hash) }; });
        });
    }
    return documents[name];
  }

  function headers(session) {
    var result = { Authorization: 'Bearer ' + session.token, Accept: 'application/graphql-response+json' };
    if (session.tenant) { result['X-Tenant-Id'] = session.tenant; }
    return result;
  }

  function answer(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      if (body.errors && body.errors.length) {
        throw new TallyError(body.errors[0].message, response.status);
      }
      if (!response.ok) { throw new TallyError('HTTP ' + response.status, response.status); }
      return body.data;
    });
  }

  function query(session, name, variables) {
    return load(name).then(function (doc) {
      var params = new URLSearchParams();
      if (doc.id) {
        params.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash: doc.id } }));
      } else {
        params.set('query', doc.text);
      }
      params.set('variables', JSON.stringify(variables || {}));
      return fetch('/graphql?' + params.toString(), { headers: headers(session), cache: 'no-cache' });
    }).then(answer);
  }

  // Server-Sent Events over fetch (EventSource cannot send an Authorization header).
  function subscribe(session, name, variables, onData, onEnd) {
    var controller = new AbortController();
    load(name).then(function (doc) {
      var h = headers(session);
      h.Accept = 'text/event-stream';
      h['Content-Type'] = 'application/json';
      return fetch('/graphql', {
        method: 'POST', headers: h, signal: controller.signal,
        body: JSON.stringify({ query: doc.text, variables: variables || {} })
      });
    }).then(function (response) {
      if (!response.ok) { throw new TallyError('HTTP ' + response.status, response.status); }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { onEnd(null); return; }
          buffer += decoder.decode(chunk.value, { stream: true });
          var events = buffer.split('\n\n');
          buffer = events.pop();
          events.forEach(function (raw) {
            var name = null;
            var data = '';
            raw.split('\n').forEach(function (line) {
              if (line.indexOf('event:') === 0) { name = line.slice(6).trim(); }
              if (line.indexOf('data:') === 0) { data += line.slice(5); }
            });
            if (name === 'next' && data) { onData(JSON.parse(data)); }
          });
          return pump();
        });
      }
      return pump();
    }).catch(function (error) {
      if (error.name !== 'AbortError') { onEnd(error); }
    });
    return function () { controller.abort(); };
  }

  global.Tally = { query: query, subscribe: subscribe, TallyError: TallyError };
}(window));
