// The page side of the BranchTree relay protocol (see PROTOCOL.md), shared by the
// broadcaster page and the viewer page. The server runs all the tree logic; this script
// only carries out its commands with WebRTC and reports what the peer connections do.
//
// The page's role comes from <body data-role="broadcaster|viewer">, the room from the
// last segment of the path. Test hooks: window.branchtree.snapshot() and
// window.branchtree.resetCounters().
'use strict';

(() => {
  const role = document.body.dataset.role === 'broadcaster' ? 'broadcaster' : 'viewer';
  const room = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '');
  const params = new URLSearchParams(location.search);
  const relayable = params.get('relay') !== '0';
  const capacity = /^\d+$/.test(params.get('capacity') || '') ? Number(params.get('capacity')) : undefined;
  const loopbackOnly = params.get('ice') === 'loopback';

  const DISCONNECTED_GRACE_MS = 3000;
  const BACKOFF_MIN_MS = 250;
  const BACKOFF_MAX_MS = 4000;
  const STATUS_INTERVAL_MS = 1000;
  const MAX_ERRORS = 20;
  const LOG_LINES = 30;
  // Refusals after which the server closes the socket and would refuse a retry too.
  const FINAL_ERRORS = new Set(['room-taken', 'room-full', 'too-many-rooms', 'bad-room']);
  const CLOSE_REPLACED = 4000;
  const SESSION_KEY = `branchtree:${room}:${role}`;

  const elements = {
    status: document.getElementById('status'),
    video: document.getElementById('video'),
    info: document.getElementById('info'),
    log: document.getElementById('log'),
  };

  // --- State --------------------------------------------------------------------------

  let ws = null;
  let welcomed = false;        // the current socket got its `welcome`
  let helloHadResume = false;  // the current socket's hello carried `resume`
  let leaving = false;         // pagehide ran: never reconnect
  let refusal = null;          // a FINAL_ERRORS refusal: never reconnect
  let reconnectAttempt = 0;
  let session = null;          // {id, token} from `welcome`
  let welcome = null;          // the last `welcome` frame
  let phase = null;            // the last `phase` frame
  let placed = null;           // the last `placed` frame
  let cameraTrack = null;      // broadcaster only
  let upstreamPeer = null;     // the up link whose track the page shows and forwards
  let lastFrames = { link: null, frames: 0 };  // for `receiving` in status
  let unsentLinkReports = [];  // `link` frames made while the socket was down
  let inbox = Promise.resolve();  // incoming frames, handled strictly in order
  const links = new Map();     // peer id -> link (see newLink)
  const errors = [];           // the last MAX_ERRORS `error` frames
  const counters = {};

  function resetCounters() {
    Object.assign(counters, {
      offersReceived: 0, offersSent: 0, negotiationNeeded: 0, upstreamChanges: 0, wsConnects: 0,
    });
  }
  resetCounters();

  // --- Session storage ----------------------------------------------------------------
  //
  // A reconnect of the same page resumes its session. A reload of the broadcaster page
  // resumes too (the room keeps its broadcaster); a reload of a viewer page is a new
  // viewer, so a viewer drops any stored session when it loads and when it goes away.

  function loadSession() {
    try {
      const stored = JSON.parse(sessionStorage.getItem(SESSION_KEY));
      return stored && typeof stored.id === 'string' && typeof stored.token === 'string' ? stored : null;
    } catch {
      return null;
    }
  }

  function storeSession(value) {
    session = value;
    if (value) sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));
    else sessionStorage.removeItem(SESSION_KEY);
  }

  if (role === 'broadcaster') session = loadSession();
  else storeSession(null);

  // --- Display ------------------------------------------------------------------------

  function logLine(text, kind = 'info') {
    if (!elements.log) return;
    const item = document.createElement('li');
    item.className = kind;
    item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
    elements.log.prepend(item);
    while (elements.log.children.length > LOG_LINES) elements.log.lastChild.remove();
  }

  function setStatus(text) {
    if (elements.status) elements.status.textContent = text;
  }

  function showStatus() {
    if (!welcomed) {
      setStatus(leaving ? 'left' : refusal ? `refused by the server: ${refusal}` : 'connecting to the server…');
    } else if (role === 'broadcaster') {
      const children = [...links.values()].filter((l) => l.direction === 'down');
      const connected = children.filter((l) => l.pc.connectionState === 'connected').length;
      setStatus(`broadcasting — ${connected}/${children.length} direct viewer links connected`);
    } else {
      const where = placed ? `, parent ${placed.parent} at depth ${placed.depth}` : '';
      const live = phase && !phase.live ? ' (broadcaster not here)' : '';
      setStatus(`${phase ? phase.phase : 'joining'}${where}${live}`);
    }
  }

  function showInfo(frames) {
    if (!elements.info) return;
    const rows = [
      ['room', room],
      ['id', session ? session.id : '—'],
      ['fanout', welcome ? String(welcome.fanout) : '—'],
    ];
    if (role === 'viewer') {
      rows.push(['parent', placed ? placed.parent : '—'], ['depth', placed ? String(placed.depth) : '—'],
        ['frames decoded', String(frames)]);
    }
    const children = [...links.values()].filter((l) => l.direction === 'down').map((l) => l.peer);
    rows.push(['children', children.length ? children.join(', ') : '—']);
    const fragment = document.createDocumentFragment();
    for (const [name, value] of rows) {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = value;
      fragment.append(dt, dd);
    }
    elements.info.replaceChildren(fragment);
  }

  // --- WebSocket ----------------------------------------------------------------------

  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN && (welcomed || frame.type === 'hello')) {
      ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function sendHello() {
    const hello = { type: 'hello', room, role };
    if (role === 'viewer') {
      hello.relayable = relayable;
      if (capacity !== undefined) hello.capacity = capacity;
    }
    helloHadResume = session !== null;
    if (session) hello.resume = { id: session.id, token: session.token };
    send(hello);
  }

  function connect() {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/${encodeURIComponent(room)}`);
    ws = socket;
    welcomed = false;
    socket.onopen = () => {
      counters.wsConnects += 1;
      sendHello();
    };
    socket.onmessage = (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        logLine('unreadable frame from the server', 'error');
        return;
      }
      // Noted at once, not in turn: the close that follows may come before the inbox
      // reaches this frame.
      if (frame.type === 'error' && FINAL_ERRORS.has(frame.code)) refusal = `${frame.code}: ${frame.message}`;
      inbox = inbox.then(() => handleFrame(frame)).catch((error) => {
        console.warn('branchtree: handling', frame.type, error);
        logLine(`${frame.type}: ${error.message || error}`, 'error');
      });
    };
    socket.onclose = (event) => {
      if (ws !== socket) return;
      ws = null;
      welcomed = false;
      // 4000: a newer page (a duplicated tab) took this session over; 1008: refused.
      if (event.code === CLOSE_REPLACED) refusal = 'replaced: this session continues in another tab';
      showStatus();
      if (leaving || refusal) return;
      // Peer connections stay up meanwhile: the resumed session keeps them.
      const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** reconnectAttempt);
      reconnectAttempt += 1;
      setTimeout(connect, ceiling * (0.5 + Math.random() / 2));
    };
  }

  // --- Peer links ---------------------------------------------------------------------
  //
  // A link is {peer, epoch, direction: 'up'|'down', pc, track (up: the received track),
  // sender (down), pending (ICE candidates held until the remote description is set),
  // offered (down: the first offer went out), reported ('connected'|'closed'|null: what
  // the server was last told), graceTimer}.

  function outgoingTrack() {
    if (role === 'broadcaster') return cameraTrack;
    const upstream = links.get(upstreamPeer);
    return upstream && upstream.track ? upstream.track : null;
  }

  // The up link the page takes its stream from: the one whose track it shows, else the
  // link with its placed parent while that one is still coming up.
  function upstreamLink() {
    for (const peer of [upstreamPeer, placed && placed.parent]) {
      const link = peer != null ? links.get(peer) : undefined;
      if (link && link.direction === 'up') return link;
    }
    return null;
  }

  function reportLink(link, state) {
    if (link.reported === state) return;
    link.reported = state;
    const frame = { type: 'link', peer: link.peer, epoch: link.epoch, direction: link.direction, state };
    if (!send(frame)) unsentLinkReports.push(frame);
  }

  function newLink(peer, epoch, direction) {
    const pc = new RTCPeerConnection({ iceServers: [] });
    const link = {
      peer, epoch, direction, pc, track: null, sender: null, pending: [], offered: false, reported: null,
      graceTimer: null,
    };
    links.set(peer, link);

    pc.onicecandidate = ({ candidate }) => {
      if (!candidate || links.get(peer) !== link) return;
      if (loopbackOnly && (candidate.candidate === '' || candidate.candidate.split(' ')[4] !== '127.0.0.1')) return;
      send({
        type: 'signal', to: peer, epoch,
        candidate: { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex },
      });
    };

    pc.onconnectionstatechange = () => {
      if (links.get(peer) !== link) return;
      const state = pc.connectionState;
      clearTimeout(link.graceTimer);
      link.graceTimer = null;
      if (state === 'connected') {
        if (direction === 'down') reportLink(link, 'connected');
        else reportUpstreamIfReady(link);
      } else if (state === 'failed' || state === 'closed') {
        failLink(link);
      } else if (state === 'disconnected') {
        // ICE often recovers from a short loss; give it a moment before giving up.
        link.graceTimer = setTimeout(() => {
          if (links.get(peer) === link && pc.connectionState === 'disconnected') failLink(link);
        }, DISCONNECTED_GRACE_MS);
      }
      showStatus();
    };

    if (direction === 'down') {
      pc.onnegotiationneeded = () => {
        // The first offer is made explicitly; any later one would be a renegotiation,
        // which the relay never needs (tracks change with replaceTrack). Counted for tests.
        if (link.offered) counters.negotiationNeeded += 1;
      };
    } else {
      pc.ontrack = ({ track }) => {
        if (links.get(peer) !== link) return;
        link.track = track;
        takeUpstream(link);
        reportUpstreamIfReady(link);
      };
    }
    return link;
  }

  // Closes a link. `report` tells the server (a link that failed); a link closed on the
  // server's word or replaced by a newer one goes silently.
  function closeLink(link, report) {
    if (links.get(link.peer) !== link) return;
    if (report) reportLink(link, 'closed');
    links.delete(link.peer);
    clearTimeout(link.graceTimer);
    link.pc.close();
    if (upstreamPeer === link.peer) upstreamPeer = null;
    showStatus();
  }

  function failLink(link) {
    logLine(`link ${link.direction} ${link.peer} (epoch ${link.epoch}) ${link.pc.connectionState}`, 'warn');
    closeLink(link, true);
  }

  function closeAllLinks() {
    for (const link of [...links.values()]) closeLink(link, false);
  }

  function reportUpstreamIfReady(link) {
    if (link.track && link.pc.connectionState === 'connected') reportLink(link, 'connected');
  }

  // A new upstream track arrived: show it and hand it to the children that carry none.
  // The server names the children that had an older upstream's track (`replace-track`).
  function takeUpstream(link) {
    upstreamPeer = link.peer;
    counters.upstreamChanges += 1;
    logLine(`stream from ${link.peer} (epoch ${link.epoch})`);
    if (elements.video) {
      elements.video.srcObject = new MediaStream([link.track]);
      elements.video.play().catch(() => {});
    }
    feedTracklessChildren();
  }

  function feedTracklessChildren() {
    const track = outgoingTrack();
    if (!track) return;
    for (const child of links.values()) {
      const current = child.sender && child.sender.track;
      if (child.direction === 'down' && (!current || current.readyState === 'ended')) {
        child.sender.replaceTrack(track).catch((error) => logLine(`replaceTrack ${child.peer}: ${error.message}`, 'error'));
      }
    }
  }

  async function addCandidate(link, candidate) {
    if (!link.pc.remoteDescription) {
      link.pending.push(candidate);
      return;
    }
    try {
      await link.pc.addIceCandidate(candidate);
    } catch (error) {
      console.warn('branchtree: addIceCandidate', link.peer, error);
    }
  }

  async function flushCandidates(link) {
    const pending = link.pending;
    link.pending = [];
    for (const candidate of pending) await addCandidate(link, candidate);
  }

  // --- Server frames ------------------------------------------------------------------

  async function handleFrame(frame) {
    switch (frame.type) {
      case 'welcome': return onWelcome(frame);
      case 'placed': return onPlaced(frame);
      case 'open': return onOpen(frame);
      case 'close': return onClose(frame);
      case 'replace-track': return onReplaceTrack(frame);
      case 'signal': return onSignal(frame);
      case 'phase':
        phase = frame;
        showStatus();
        return;
      case 'error': return onError(frame);
      default:
        logLine(`unknown frame type ${frame.type}`, 'warn');
    }
  }

  function onWelcome(frame) {
    welcome = frame;
    welcomed = true;
    reconnectAttempt = 0;
    storeSession({ id: frame.id, token: frame.token });
    if (frame.resumed) {
      // Tell the server what happened to the links while it could not hear us.
      const reports = unsentLinkReports;
      unsentLinkReports = [];
      for (const report of reports) send(report);
    } else {
      // A new session: the tree knows nothing of the links of an older one.
      unsentLinkReports = [];
      closeAllLinks();
      placed = null;
      phase = null;
    }
    logLine(`${frame.resumed ? 'resumed' : 'joined'} as ${frame.id}`);
    showStatus();
  }

  function onPlaced(frame) {
    placed = frame;
    const link = links.get(frame.parent);
    if (!frame.kept && link && link.direction === 'up' && link.epoch === frame.epoch && link.track
        && link.pc.connectionState === 'connected') {
      // The link survived a server restart: say so again, the new server's machine
      // starts without it. (`kept`: the server already counts it as up.)
      link.reported = null;
      reportLink(link, 'connected');
    }
    showStatus();
  }

  async function onOpen({ peer, epoch }) {
    const existing = links.get(peer);
    if (existing && existing.direction === 'down' && existing.epoch === epoch
        && existing.pc.connectionState === 'connected') {
      existing.reported = null;
      reportLink(existing, 'connected');
      return;
    }
    if (existing) closeLink(existing, false);

    const link = newLink(peer, epoch, 'down');
    const transceiver = link.pc.addTransceiver('video', { direction: 'sendonly' });
    link.sender = transceiver.sender;
    const track = outgoingTrack();
    if (track) await link.sender.replaceTrack(track);
    const offer = await link.pc.createOffer();
    await link.pc.setLocalDescription(offer);
    link.offered = true;
    if (links.get(peer) !== link) return;
    counters.offersSent += 1;
    send({ type: 'signal', to: peer, epoch, description: { type: offer.type, sdp: offer.sdp } });
  }

  function onClose({ peer }) {
    const link = links.get(peer);
    if (link) closeLink(link, false);
  }

  function onReplaceTrack({ children }) {
    const track = outgoingTrack();
    // Without a stream yet there is nothing to hand over; its arrival feeds them.
    if (!track) return;
    for (const peer of children || []) {
      const link = links.get(peer);
      if (link && link.direction === 'down' && link.sender) {
        link.sender.replaceTrack(track).catch((error) => logLine(`replaceTrack ${peer}: ${error.message}`, 'error'));
      }
    }
  }

  async function onSignal({ from, epoch, description, candidate }) {
    if (description && description.type === 'offer') {
      counters.offersReceived += 1;
      // The sender of an offer is this page's upstream. The relay never renegotiates, so
      // every offer comes from a new peer connection (a new link, or the parent page
      // reloaded): always answer it on a new one.
      const existing = links.get(from);
      if (existing) closeLink(existing, false);
      const link = newLink(from, epoch, 'up');
      await link.pc.setRemoteDescription(description);
      const answer = await link.pc.createAnswer();
      await link.pc.setLocalDescription(answer);
      if (links.get(from) !== link) return;
      send({ type: 'signal', to: from, epoch, description: { type: answer.type, sdp: answer.sdp } });
      await flushCandidates(link);
      return;
    }
    const link = links.get(from);
    if (!link || link.epoch !== epoch) return;  // a link since replaced or closed
    if (description && description.type === 'answer') {
      if (link.direction !== 'down' || link.pc.signalingState !== 'have-local-offer') return;
      await link.pc.setRemoteDescription(description);
      await flushCandidates(link);
    } else if (candidate) {
      await addCandidate(link, candidate);
    }
  }

  function onError(frame) {
    errors.push({ code: frame.code, message: frame.message });
    if (errors.length > MAX_ERRORS) errors.shift();
    logLine(`error ${frame.code}: ${frame.message}`, 'error');
    if (frame.code === 'not-your-id' && !welcomed && helloHadResume) {
      // The server does not know this session (any more): start a fresh one.
      storeSession(null);
      sendHello();
    }
  }

  // --- Status -------------------------------------------------------------------------

  async function framesDecoded(link) {
    if (!link || link.pc.connectionState === 'closed') return 0;
    try {
      let frames = 0;
      (await link.pc.getStats()).forEach((report) => {
        if (report.type === 'inbound-rtp' && report.kind === 'video') frames += report.framesDecoded || 0;
      });
      return frames;
    } catch {
      return 0;
    }
  }

  async function statusTick() {
    let frames = 0;
    if (role === 'viewer') {
      const link = upstreamLink();
      frames = await framesDecoded(link);
      // A new upstream's counter starts at zero: compare only readings of one link.
      const before = lastFrames.link === link ? lastFrames.frames : 0;
      lastFrames = { link, frames };
      send({ type: 'status', receiving: frames > before, framesDecoded: frames, upstream: link ? link.peer : null });
    }
    showInfo(frames);
    showStatus();
  }

  // --- Test hooks ---------------------------------------------------------------------

  window.branchtree = {
    async snapshot() {
      const up = role === 'viewer' ? upstreamLink() : null;
      return {
        id: session ? session.id : null,
        role,
        room,
        wsOpen: welcomed,
        phase: phase ? phase.phase : null,
        live: role === 'broadcaster' ? welcomed : Boolean(phase && phase.live),
        parent: placed ? placed.parent : null,
        depth: placed ? placed.depth : null,
        upstream: up && {
          peer: up.peer,
          epoch: up.epoch,
          connectionState: up.pc.connectionState,
          hasTrack: Boolean(up.track && up.track.readyState === 'live'),
          framesDecoded: await framesDecoded(up),
        },
        downstream: [...links.values()].filter((l) => l.direction === 'down').map((l) => ({
          peer: l.peer,
          epoch: l.epoch,
          connectionState: l.pc.connectionState,
          hasTrack: Boolean(l.sender && l.sender.track && l.sender.track.readyState === 'live'),
        })),
        counters: { ...counters },
        errors: errors.map((e) => ({ ...e })),
      };
    },
    resetCounters,
  };

  // --- Start --------------------------------------------------------------------------

  addEventListener('pagehide', () => {
    // A viewer leaves the tree at once; the broadcaster stays, so that a reload takes
    // the room back with its stored session.
    if (role !== 'viewer') return;
    leaving = true;
    send({ type: 'leave' });
    storeSession(null);
    if (ws) ws.close();
  });
  // A page restored from the back/forward cache has lost its session: start anew.
  addEventListener('pageshow', (event) => {
    if (event.persisted) location.reload();
  });

  async function start() {
    for (const link of document.querySelectorAll('[data-link]')) {
      const path = `/${link.dataset.link}/${encodeURIComponent(room)}`;
      link.href = path;
      link.textContent = new URL(path, location.href).href;
    }
    for (const label of document.querySelectorAll('[data-room]')) label.textContent = room;

    if (role === 'broadcaster') {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({
          video: { width: 160, height: 120, frameRate: 10 }, audio: false,
        });
        cameraTrack = stream.getVideoTracks()[0];
        if (elements.video) elements.video.srcObject = stream;
      } catch (error) {
        // Still take the room: the tree works, the viewers just get no pictures.
        logLine(`no camera: ${error.message}`, 'error');
      }
    }
    showStatus();
    connect();
    setInterval(() => {
      statusTick().catch((error) => console.warn('branchtree: status', error));
    }, STATUS_INTERVAL_MS);
  }

  start();
})();
