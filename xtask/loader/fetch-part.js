// The router changes the address only once the new page is ready, so a reload would land on the
// old page: the link that started the navigation is remembered instead.
let clickedLink = { href: "", at: 0 };
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (link) clickedLink = { href: link.href, at: Date.now() };
}, true);

async function fetch(url) {
  try {
    const response = await globalThis.fetch(url);
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return response;
  } catch (error) {
    // Once: a part that is missing right after a reload would otherwise reload forever.
    const key = "lantern-part-reload";
    const reloadedJustNow = Date.now() - Number(sessionStorage.getItem(key)) < 10000;
    if (!reloadedJustNow) {
      sessionStorage.setItem(key, String(Date.now()));
      const target = Date.now() - clickedLink.at < 10000 ? clickedLink.href : location.href;
      location.assign(target);
    }
    throw error;
  }
}
