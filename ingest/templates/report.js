(function(){
  function q(s,r){return Array.prototype.slice.call((r||document).querySelectorAll(s));}
  function apply(){
    var sev={}; q('.bar input[data-sev]').forEach(function(c){sev[c.dataset.sev]=c.checked;});
    var nid=document.getElementById('notice-filter').value;
    var shown=0,total=0;
    q('article.finding').forEach(function(a){
      var on=sev[a.dataset.severity]&&(nid===''||a.dataset.notice===nid);
      a.hidden=!on; total++; if(on)shown++;});
    q('[data-notice-block]').forEach(function(s){s.hidden=!(nid===''||s.dataset.noticeBlock===nid);});
    q('.group').forEach(function(g){g.hidden=!q('article.finding',g).some(function(a){return !a.hidden;});});
    document.getElementById('shown').textContent='显示 '+shown+' / '+total+' 条发现';
  }
  document.addEventListener('change',function(e){if(e.target.closest('.bar'))apply();});
  document.addEventListener('click',function(e){
    var a=e.target.closest('a[href^="#r-"]'); if(!a)return;
    var row=document.getElementById(a.getAttribute('href').slice(1));
    if(row){var d=row.closest('details'); if(d)d.open=true;}
  });
  apply();
})();
