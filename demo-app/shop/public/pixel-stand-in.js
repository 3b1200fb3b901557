// Stand-in for the Mapp pixel v4 on the shop's pages. It only writes the wt3_eid cookie the way the pixel
// does, and sends no page hits. The decoded value is ";<trackId>|<EID>#<last visit>", one entry per track ID.
(function () {
  var trackId = document.currentScript.getAttribute('data-track-id');
  // Six months, the pixel's default cookie lifetime.
  var maxAgeSeconds = 180 * 24 * 60 * 60;

  // An Ever ID as the pixel makes it: "2", the time in seconds (10 digits) and 8 random digits.
  function newEverId() {
    var seconds = Math.floor(Date.now() / 1000);
    var random = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
    return '2' + seconds + random;
  }

  function readCookie(name) {
    var prefix = name + '=';
    var found = document.cookie.split('; ').find(function (pair) { return pair.indexOf(prefix) === 0; });
    if (found === undefined) {
      return '';
    }
    try {
      return decodeURIComponent(found.slice(prefix.length));
    } catch (error) {
      return '';
    }
  }

  // Keep the entries of other track IDs, and the Ever ID of this one once it exists.
  var entries = readCookie('wt3_eid').split(';').filter(function (entry) { return entry !== ''; });
  var ownPrefix = trackId + '|';
  var own = entries.find(function (entry) { return entry.indexOf(ownPrefix) === 0; });
  var everId = own === undefined ? '' : own.slice(ownPrefix.length).split('#')[0];
  if (!/^\d{19}$/.test(everId)) {
    everId = newEverId();
  }

  // The part after "#" is new on every page load. The pixel derives the time of the last visit from it.
  var others = entries.filter(function (entry) { return entry.indexOf(ownPrefix) !== 0; });
  var value = others.concat([ownPrefix + everId + '#' + newEverId()])
    .map(function (entry) { return ';' + entry; })
    .join('');
  document.cookie = 'wt3_eid=' + encodeURIComponent(value) + '; path=/; max-age=' + maxAgeSeconds;
})();
