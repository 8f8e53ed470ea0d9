/// The report page's fixed style and script. The script is the only one the page runs: the
/// Content-Security-Policy pins it by hash, so a script that a model's answer smuggled in
/// would not run even if escaping failed.
enum HTMLAssets {
    static let style: HTML = """
        :root{--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#fff;--soft:#f9fafb;--good:#059669;--bad:#dc2626}
        *{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;color:var(--fg);background:var(--bg)}
        main{max-width:1080px;margin:0 auto;padding:16px}h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
        h3{font-size:1rem;margin:1.2rem 0 .4rem}.muted{color:var(--muted)}.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
        table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;white-space:nowrap}
        td.num,th.num{text-align:right}tbody tr:hover{background:var(--soft)}.star{color:#d97706}
        .warn{background:#fef3c7;border:1px solid #f59e0b;border-radius:6px;padding:8px 12px;margin:8px 0}.danger{background:#fee2e2;border-color:#dc2626}
        .chart{width:100%;height:auto;max-width:720px;display:block}.grid{stroke:#e5e7eb;stroke-width:1}.band{fill:#f3f4f6}
        .tick{font-size:11px;fill:#6b7280}.axis{font-size:12px;fill:#374151}.label{font-size:12px;fill:#111827}.na{font-size:12px;fill:#9ca3af;font-style:italic}
        .whisker{stroke:#111827;stroke-width:1.5}.frontier{fill:none;stroke:#111827;stroke-width:1.5;stroke-dasharray:5 4}.mark{stroke:#111827;stroke-width:2}
        .confusion td{text-align:right;min-width:3em}.confusion th{font-weight:600}
        .filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0}select{font:inherit;padding:4px}
        details.item{border-bottom:1px solid var(--line)}details.item>summary{display:grid;grid-template-columns:7em minmax(8em,1.2fr) minmax(6em,1fr) minmax(6em,1fr) 5em;gap:8px;padding:6px 4px;cursor:pointer;list-style:none}
        details.item>summary::-webkit-details-marker{display:none}.pass{color:var(--good)}.fail{color:var(--bad)}
        .body{padding:4px 8px 12px;background:var(--soft)}pre{white-space:pre-wrap;word-break:break-word;background:#fff;border:1px solid var(--line);border-radius:4px;padding:8px;margin:4px 0;max-height:24em;overflow:auto;font-size:13px}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:4px 0}dt{color:var(--muted)}dd{margin:0}
        .sort button{font:inherit;font-size:.85rem;padding:0 6px;border:1px solid var(--line);border-radius:4px;background:#fff;cursor:pointer}.sort button[aria-pressed=true]{background:var(--soft);font-weight:600}
        @media (max-width:700px){main{padding:8px}details.item>summary{grid-template-columns:6em 1fr;}details.item>summary span:nth-child(n+3){display:none}th,td{padding:4px 6px}}
        """

    static let script: HTML = """
        (function(){var items=Array.prototype.slice.call(document.querySelectorAll('details.item'));var m=document.getElementById('f-model'),s=document.getElementById('f-suite'),w=document.getElementById('f-wrong'),t=document.getElementById('f-truncated'),c=document.getElementById('f-count');if(!m||!s||!w||!t||!c){return;}function apply(){var shown=0;items.forEach(function(e){var ok=(!m.value||e.getAttribute('data-model')===m.value)&&(!s.value||e.getAttribute('data-suite')===s.value)&&(!w.checked||e.getAttribute('data-pass')!=='1')&&(!t.checked||e.getAttribute('data-truncated')==='1');e.hidden=!ok;if(ok){shown++;}});c.textContent=String(shown);}[m,s,w,t].forEach(function(e){e.addEventListener('change',apply);});apply();})();(function(){var t=document.querySelector('#ranking tbody'),bs=Array.prototype.slice.call(document.querySelectorAll('button[data-sort]'));if(!t){return;}bs.forEach(function(b){b.addEventListener('click',function(){var k='data-'+b.getAttribute('data-sort')+'-rank';var rows=Array.prototype.slice.call(t.rows);rows.sort(function(x,y){return Number(x.getAttribute(k))-Number(y.getAttribute(k));});rows.forEach(function(r,i){r.cells[0].textContent=String(i+1);t.appendChild(r);});bs.forEach(function(o){o.setAttribute('aria-pressed',o===b?'true':'false');});});});})();
        """
}
