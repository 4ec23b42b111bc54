// Drives Debian's Chromium (never a downloaded browser) through Swagger UI: authorize with an API key,
// execute one operation with "Try it out", check that its 200 is rendered, save a screenshot.
// Usage: node swagger-ui.mjs <baseUrl> <apiKey> <tag> <operationId> <screenshot.png>
// Resolves playwright-core from the repository's node_modules (npm ci at the root).
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [baseUrl, apiKey, tag, operationId, screenshot, repoRoot] = process.argv.slice(2);
const require = createRequire(join(repoRoot, 'package.json'));
const { chromium } = require('playwright-core');

const userDataDir = mkdtempSync(join(tmpdir(), 'proxmoxlxc-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 1800 },
});
let status = 1;
const page = context.pages()[0] ?? await context.newPage();
try {
  page.setDefaultTimeout(30000);
  await page.goto(new URL('/swagger/index.html', baseUrl).toString());
  await page.locator('.btn.authorize').first().click();
  await page.locator('.modal-ux input[type=text], .modal-ux input[type=password]').first().fill(apiKey);
  await page.locator('.modal-ux .auth-btn-wrapper button.authorize').click();
  await page.locator('.modal-ux .auth-btn-wrapper button.btn-done, .modal-ux button.close-modal').first().click();

  const block = page.locator(`#operations-${tag}-${operationId}`);
  if (await block.count() === 0) {
    await page.locator(`#operations-tag-${tag}`).click();
  }
  await block.locator('.opblock-summary').first().click();
  const tryItOut = block.locator('button.try-out__btn');
  if (await tryItOut.count() > 0 && (await tryItOut.innerText()).includes('Try it out')) {
    await tryItOut.click();
  }
  await block.locator('button.execute').click();
  const statusCell = block.locator('.live-responses-table .response .response-col_status').first();
  await statusCell.waitFor();
  const rendered = (await statusCell.innerText()).trim();
  const body = (await block.locator('.live-responses-table .response .microlight, .live-responses-table .response pre').first().innerText()).trim();
  await block.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ status: rendered, body: body.slice(0, 2000) }));
  status = rendered.startsWith('200') ? 0 : 2;
} catch (error) {
  console.error(String(error?.stack ?? error));
  const ids = await page.locator('.opblock').evaluateAll(blocks => blocks.map(b => b.id)).catch(() => []);
  console.error(`operation blocks on the page: ${ids.join(', ')}`);
  await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(status);
