// The incidents map: country outlines (world-atlas, drawn with d3-geo and topojson-client)
// and one marker per located incident from /map.json (same filters as the page).
// Everything the data says is set through textContent or setAttribute, never as markup.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var status = document.getElementById("map-status");
  if (!box || !window.d3 || !window.topojson) {
    return;
  }
  var NS = "http://www.w3.org/2000/svg";
  var WIDTH = 960;
  var HEIGHT = 500;

  function svgEl(name, attrs) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, String(attrs[key]));
    });
    return node;
  }

  function titled(node, text) {
    var title = svgEl("title");
    title.textContent = text;
    node.appendChild(title);
    return node;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) {
        throw new Error(url.split("?")[0] + " answered " + r.status);
      }
      return r.json();
    });
  }

  function drawLand(svg, path, world) {
    svg.appendChild(svgEl("path", { "class": "sphere", d: path({ type: "Sphere" }) }));
    var countries = window.topojson.feature(world, world.objects.countries).features;
    var group = svgEl("g", { "class": "countries" });
    countries.forEach(function (country) {
      var d = path(country);
      if (d) {
        group.appendChild(titled(svgEl("path", { "class": "land", d: d }), country.properties.name || ""));
      }
    });
    svg.appendChild(group);
  }

  function drawMarkers(svg, projection, markers) {
    var group = svgEl("g", { "class": "markers" });
    markers.forEach(function (m) {
      var xy = projection([m.lon, m.lat]);
      if (!xy || !isFinite(xy[0]) || !isFinite(xy[1])) {
        return;
      }
      var link = svgEl("a", { href: "/incidents/" + encodeURIComponent(m.incident_id) });
      var circle = svgEl("circle", {
        "class": "marker t-" + m.type, cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: 4.5, "data-id": m.incident_id
      });
      titled(circle, m.label + (m.place ? " · " + m.place : "") + (m.date ? " · " + m.date : ""));
      link.appendChild(circle);
      group.appendChild(link);
    });
    svg.appendChild(group);
    return group.childNodes.length;
  }

  Promise.all([getJSON(box.getAttribute("data-world")), getJSON(box.getAttribute("data-source"))])
    .then(function (results) {
      var world = results[0];
      var data = results[1];
      var projection = window.d3.geoNaturalEarth1().fitSize([WIDTH, HEIGHT], { type: "Sphere" });
      var path = window.d3.geoPath(projection);
      var svg = svgEl("svg", { viewBox: "0 0 " + WIDTH + " " + HEIGHT, role: "img", "aria-label": "Map of incidents" });
      drawLand(svg, path, world);
      var drawn = drawMarkers(svg, projection, data.incidents);
      box.appendChild(svg);
      box.setAttribute("data-markers", String(drawn));
      status.textContent = drawn + " of " + data.total + " matching incidents have coordinates and are on the map.";
    })
    .catch(function (error) {
      status.textContent = "The map could not be drawn: " + error.message;
    });
})();
