import { alertQueue, expect, queueRows, test } from './fixtures';

test('switching the language to 简体中文 changes the labels', async ({ hub, openConsole, snap }) => {
  await hub.simulate(200);
  const { page } = await openConsole('a');
  await expect(alertQueue(page, 'Alert queue')).toBeVisible();
  await expect(queueRows(page).first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Map' })).toBeVisible();

  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '简体中文' });

  await expect(alertQueue(page, '警报队列')).toBeVisible();
  await expect(page.getByRole('region', { name: '地图' })).toBeVisible();
  await expect(page.getByRole('status', { name: '连接状态' })).toBeVisible();
  await expect(alertQueue(page, 'Alert queue')).toHaveCount(0);
  await snap(page, 'zh-CN');

  // and back
  await page.getByRole('combobox', { name: /Language/ }).selectOption({ label: 'English' });
  await expect(alertQueue(page, 'Alert queue')).toBeVisible();
});
