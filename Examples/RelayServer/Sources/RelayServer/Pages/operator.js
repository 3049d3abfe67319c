// The operator view of one room: polls the room's tree and stats every second and
// draws the tree as SVG (broadcaster on top, one row per depth). Server data only ever
// reaches the page through textContent and attribute values, never as markup.
'use strict';

(() => {
  const room = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '');
  const api = `/api/rooms/${encodeURIComponent(room)}`;
  const POLL_MS = 1000;

  // Layout, in SVG pixels: one column per leaf, one row per depth.
  const SLOT = 46;
  const ROW = 76;
  const RADIUS = 11;
  const MARGIN = 28;
  const SVG_NS = 'http://www.w3.org/2000/svg';

  const $ = (id) => document.getElementById(id);
  $('room-name').textContent = room;
  document.title = `${room} — BranchTree relay`;

  function element(tag, attributes = {}, text) {
    const node = document.createElement(tag);
    Object.assign(node, attributes);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svg(tag, attributes, parent) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (parent) parent.append(node);
    return node;
  }

  // Labels have room for about 7 characters: a long id loses its prefix ("v-") and
  // its tail; the node's tooltip has it whole.
  function shortID(id) {
    return id.length > 8 ? `${id.replace(/^[A-Za-z]+-/, '').slice(0, 6)}…` : id;
  }

  // "linksCreated" -> "links created", "ignored_inputs" -> "ignored inputs".
  function humanize(key) {
    return key.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  }

  function childCount(viewer) {
    return Array.isArray(viewer.children) ? viewer.children.length : Number(viewer.children) || 0;
  }

  // --- Tree ---------------------------------------------------------------------------

  // Places the nodes: a depth-first walk from the broadcaster gives each leaf the next
  // column and each parent the middle of its children, so edges never cross. Viewers
  // whose parent chain does not reach the broadcaster (not placed yet) are left out.
  function layout(tree) {
    const byParent = new Map();
    for (const viewer of tree.viewers) {
      if (viewer.parent == null) continue;
      if (!byParent.has(viewer.parent)) byParent.set(viewer.parent, []);
      byParent.get(viewer.parent).push(viewer);
    }
    const positions = new Map();  // id -> {x, y, depth, viewer}
    let column = 0;
    let height = 0;
    const visit = (id, viewer, depth) => {
      if (positions.has(id)) return positions.get(id).x;  // a cycle in bad data
      const entry = { x: 0, y: MARGIN + depth * ROW, depth, viewer };
      positions.set(id, entry);
      height = Math.max(height, depth);
      const children = byParent.get(id) || [];
      const xs = children.map((child) => visit(child.id, child, depth + 1));
      entry.x = xs.length ? (xs[0] + xs[xs.length - 1]) / 2 : MARGIN + SLOT / 2 + SLOT * column++;
      return entry.x;
    };
    visit(tree.broadcaster, null, 0);
    return { positions, columns: Math.max(column, 1), height };
  }

  function drawTree(tree) {
    const { positions, columns, height } = layout(tree);
    const width = MARGIN * 2 + columns * SLOT;
    const totalHeight = MARGIN * 2 + height * ROW + 14;
    const root = svg('svg', {
      width, height: totalHeight, viewBox: `0 0 ${width} ${totalHeight}`, role: 'img',
      'aria-label': `relay tree of room ${room}`,
    });

    const edges = svg('g', { class: 'edges' }, root);
    const nodes = svg('g', { class: 'nodes' }, root);
    for (const [id, { x, y, viewer }] of positions) {
      if (viewer) {
        const parent = positions.get(viewer.parent);
        // Dashed while the page does not report this parent as its upstream yet.
        const pending = viewer.upstream !== viewer.parent;
        svg('line', {
          x1: parent.x, y1: parent.y + RADIUS, x2: x, y2: y - RADIUS,
          class: pending ? 'edge pending' : 'edge',
        }, edges);
      }

      const group = svg('g', { class: 'node' }, nodes);
      const classes = ['dot'];
      if (!viewer) classes.push(tree.live ? 'source' : 'source away');
      else {
        classes.push(viewer.receiving ? 'receiving' : 'stalled');
        if (!viewer.relayable) classes.push('leaf');
        if (viewer.connected === false) classes.push('offline');
      }
      svg('circle', { cx: x, cy: y, r: RADIUS, class: classes.join(' ') }, group);
      const label = svg('text', { x, y: y + RADIUS + 12, class: 'label' }, group);
      label.textContent = viewer ? shortID(id) : 'broadcaster';
      svg('title', {}, group).textContent = viewer ? describe(viewer) : `broadcaster ${id}${tree.live ? '' : ' (away)'}`;
    }
    $('tree').replaceChildren(root);
    return { positions, height };
  }

  function describe(viewer) {
    const lines = [
      viewer.id,
      `parent ${viewer.parent}, depth ${viewer.depth}`,
      `phase ${viewer.phase}${viewer.connected === false ? ', page disconnected' : ''}`,
      `${viewer.receiving ? 'receiving' : 'not receiving'}, ${viewer.framesDecoded} frames decoded`,
      `upstream ${viewer.upstream ?? 'none'}`,
      `${viewer.relayable ? `relays to ${childCount(viewer)}/${viewer.capacity}` : 'does not relay'}`,
    ];
    return lines.join('\n');
  }

  function drawSummary(tree, positions, height) {
    const levels = [];
    for (const { depth, viewer } of positions.values()) {
      if (viewer) levels[depth - 1] = (levels[depth - 1] || 0) + 1;
    }
    const receiving = tree.viewers.filter((v) => v.receiving).length;
    const rows = [
      ['broadcaster', tree.live ? 'live' : 'away'],
      ['viewers', `${tree.viewers.length} (${receiving} receiving)`],
      ['height', String(height)],
      ['per level', levels.length ? Array.from(levels, (n) => n || 0).join(' · ') : '—'],
      ['fanout', String(tree.fanout)],
      ['policy', String(tree.policy)],
      ['version', String(tree.version)],
    ];
    $('summary').replaceChildren(...rows.map(([name, value]) => {
      const pair = element('div');
      pair.append(element('dt', {}, name), element('dd', {}, value));
      return pair;
    }));

    const unplaced = new Set(tree.waiting || []);
    for (const viewer of tree.viewers) if (!positions.has(viewer.id)) unplaced.add(viewer.id);
    $('waiting').textContent = unplaced.size ? `Not placed yet: ${[...unplaced].join(', ')}` : '';
  }

  // --- Stats --------------------------------------------------------------------------

  // Every number in the stats, however nested: objects by dotted name, arrays of
  // numbers on one line. Lists of records (recentRepairs) are drawn apart.
  function statRows(value, name, rows) {
    if (typeof value === 'number' || typeof value === 'boolean') {
      rows.push([name, String(value)]);
    } else if (Array.isArray(value)) {
      if (value.every((item) => typeof item === 'number')) rows.push([name, value.join(' · ') || '—']);
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key !== 'recentRepairs') statRows(inner, name ? `${name} · ${humanize(key)}` : humanize(key), rows);
      }
    }
    return rows;
  }

  function drawStats(stats) {
    const rows = statRows(stats, '', []).map(([name, value]) => {
      const tr = element('tr');
      tr.append(element('th', {}, name), element('td', {}, value));
      return tr;
    });
    $('stats').tBodies[0].replaceChildren(...rows);

    const repairs = Array.isArray(stats.recentRepairs) ? [...stats.recentRepairs] : [];
    repairs.sort((a, b) => timeValue(b.at) - timeValue(a.at));  // newest first
    $('repairs').tBodies[0].replaceChildren(...repairs.map((repair) => {
      const tr = element('tr');
      for (const field of ['at', 'kind', 'subject', 'interrupted', 'moves', 'linksCreated', 'linksCut']) {
        const value = repair[field];
        if (field === 'subject' && typeof value === 'string') {
          tr.append(element('td', { title: value }, shortID(value)));
        } else {
          tr.append(element('td', {}, field === 'at' ? formatTime(value) : formatValue(value)));
        }
      }
      return tr;
    }));
    $('repairs').hidden = repairs.length === 0;
    $('no-repairs').hidden = repairs.length > 0;
  }

  // `at` may be a date string or a number (seconds, or milliseconds since 1970).
  function timeValue(at) {
    if (typeof at === 'number') return at > 1e12 ? at / 1000 : at;
    const parsed = Date.parse(at);
    return Number.isNaN(parsed) ? 0 : parsed / 1000;
  }

  function formatTime(at) {
    const seconds = timeValue(at);
    if (seconds > 1e9) return new Date(seconds * 1000).toLocaleTimeString();
    return typeof at === 'number' ? `${at.toFixed(1)} s` : formatValue(at);
  }

  function formatValue(value) {
    if (value == null) return '—';
    if (Array.isArray(value)) return String(value.length);  // e.g. the interrupted viewers
    return String(value);
  }

  // --- Polling ------------------------------------------------------------------------

  async function getJSON(path) {
    const response = await fetch(path, { cache: 'no-store' });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  async function poll() {
    try {
      const [tree, stats] = await Promise.all([getJSON(`${api}/tree`), getJSON(`${api}/stats`)]);
      if (!tree) {
        $('status').textContent = 'No such room yet: it appears when its broadcaster or a viewer opens it.';
        $('tree').replaceChildren();
      } else {
        const { positions, height } = drawTree(tree);
        drawSummary(tree, positions, height);
        $('status').textContent = `updated ${new Date().toLocaleTimeString()}`;
      }
      if (stats) drawStats(stats);
    } catch (error) {
      $('status').textContent = `Cannot reach the server (${error.message}); retrying.`;
    }
    setTimeout(poll, POLL_MS);
  }

  poll();
})();
