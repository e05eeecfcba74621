import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePackage } from '../../harness/index.js';
import { type RunningSystem, startRunningSystem } from './running-system.js';

const MORNING = 'Chương trình phát thanh buổi sáng';
const PHONE = { width: 390, height: 844 };
let sys: RunningSystem;

beforeAll(async () => {
  // The morning programme and the emergency text are spoken by the console's text-to-speech.
  await ensurePackage('espeak-ng', '/usr/bin/espeak-ng');
  sys = await startRunningSystem();
  await sys.createUser('op-tan-bien', ['operator'], ['tn-tan-bien']);
  await sys.createUser('op-phuoc-vinh', ['operator'], ['tn-phuoc-vinh']);
  await sys.createUser('chu-tich', ['approver'], ['tay-ninh']);
  const patched = await sys.admin.patch('/api/areas/tn-phuoc-vinh', { requiresApproval: true });
  expect(patched.status).toBe(200);
}, 240_000);

afterAll(async () => {
  await sys?.close();
});

async function openBroadcasts(page: Page, user: string): Promise<void> {
  await sys.signIn(page, user);
  await page.getByRole('link', { name: 'Lịch phát' }).click();
  await page.getByRole('heading', { name: 'Lịch phát thanh' }).waitFor();
}

const blocks = (page: Page) => page.locator('xs-week-calendar .grid .block');

describe('operator journey: broadcasts, approval and emergency in the browser', () => {
  it('an operator of Tân Biên sees the week, is warned of an overlap while editing, saves, plays now and sees it play', async () => {
    const page = await sys.newPage({ width: 1366, height: 768 });
    await openBroadcasts(page, 'op-tan-bien');
    // Next week is whole: the province's daily 06:00 programme on all seven days.
    await page.getByRole('button', { name: 'Tuần sau' }).click();
    await expect.poll(() => blocks(page).count(), { timeout: 15_000 }).toBe(7);
    await expect.poll(() => blocks(page).first().textContent()).toContain(`06:00 ${MORNING}`);
    await page.getByRole('button', { name: 'Tuần này' }).click();
    await sys.screenshot(page, 'console-broadcasts');

    await page.getByRole('button', { name: '+ Thêm lịch phát' }).click();
    await page.getByLabel('Tên buổi phát').fill('Bản tin an ninh trật tự');
    await page.getByRole('button', { name: `Thêm “${MORNING}” vào danh sách phát` }).click();
    await page.getByRole('radio', { name: 'Hằng ngày' }).check();
    await page.getByRole('textbox', { name: /^Giờ bắt đầu/ }).fill('06:00');
    await expect.poll(() => page.getByRole('radio', { name: /^Xã Tân Biên/ }).isChecked()).toBe(true);
    // The server is asked while editing: 06:00 collides with the province's morning programme.
    await page.getByText('Trùng giờ với 1 lịch khác:').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.locator('xs-schedule-editor .warn li').first().textContent())
      .toContain(MORNING);
    await sys.screenshot(page, 'console-broadcast-editor');
    await page.getByRole('textbox', { name: /^Giờ bắt đầu/ }).fill('18:30');
    await page.getByText(/Không trùng giờ với lịch nào\. Phát tới 3 cụm loa/).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Lưu lịch' }).click();
    await page.getByText('Đã lưu “Bản tin an ninh trật tự” và gửi lịch tới 3 cụm loa.').waitFor();
    await page.getByRole('button', { name: 'Tuần sau' }).click();
    await expect.poll(() => blocks(page).count(), { timeout: 15_000 }).toBe(14);
    const schedules = await sys.admin.get<{
      schedules: { title: string; status: string; createdBy: string }[];
    }>('/api/schedules');
    expect(schedules.body.schedules).toContainEqual(
      expect.objectContaining({
        title: 'Bản tin an ninh trật tự',
        status: 'active',
        createdBy: 'op-tan-bien',
      }),
    );

    // Play now: the delivery panel counts the simulated clusters' acks until all three play.
    await page.getByRole('tab', { name: 'Phát ngay' }).click();
    await page.getByRole('button', { name: `Thêm “${MORNING}” vào danh sách phát` }).click();
    await page.getByRole('checkbox', { name: /^Xã Tân Biên/ }).check();
    await page.getByRole('button', { name: 'Xem lại trước khi phát' }).click();
    await page.getByText(/Phát 1 bản âm thanh ngay bây giờ trên 3 cụm loa/).waitFor();
    await page.getByRole('button', { name: 'Phát ngay' }).click();
    const delivered = page.locator('xs-delivery-panel [data-count=delivered] dd');
    await expect.poll(() => delivered.textContent(), { timeout: 20_000 }).toBe('3/3');
    const answered = page.locator('xs-delivery-panel ol.answered li');
    const playback = async () =>
      (await answered.evaluateAll((li) => li.map((e) => e.getAttribute('data-status')))).filter(
        (status) => status === 'playing' || status === 'done',
      ).length;
    await expect.poll(playback, { timeout: 20_000 }).toBe(3);
    const count = async (name: string) =>
      Number((await page.locator(`xs-delivery-panel [data-count=${name}] dd`).textContent())?.split('/')[0]);
    await expect.poll(async () => (await count('playing')) + (await count('done'))).toBe(3);

    const phone = await sys.newPage(PHONE);
    await openBroadcasts(phone, 'op-tan-bien');
    await phone.getByRole('button', { name: 'Tuần sau' }).click();
    await phone.locator('xs-week-calendar .agenda button').first().waitFor();
    await sys.screenshot(phone, 'console-broadcasts-phone');
  }, 120_000);

  it("holds an operator's schedule in an approval commune until the approver approves it in the queue", async () => {
    const page = await sys.newPage({ width: 1366, height: 768 });
    await openBroadcasts(page, 'op-phuoc-vinh');
    await page.getByRole('button', { name: '+ Thêm lịch phát' }).click();
    await page.getByLabel('Tên buổi phát').fill('Họp dân cuối tuần');
    await page.getByRole('button', { name: `Thêm “${MORNING}” vào danh sách phát` }).click();
    await page.getByRole('radio', { name: 'Hằng tuần' }).check();
    await page.getByRole('checkbox', { name: 'Thứ Bảy' }).check();
    await page.getByRole('checkbox', { name: 'Chủ Nhật' }).check();
    await page.getByRole('textbox', { name: /^Giờ bắt đầu/ }).fill('19:30');
    await page.getByText('Khu vực này cần phê duyệt').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Lưu lịch' }).click();
    await page.getByText(/Đã lưu “Họp dân cuối tuần”\. Lịch đang chờ người phê duyệt/).waitFor();
    await page.getByRole('button', { name: 'Tuần sau' }).click();
    await expect.poll(() => page.locator('xs-week-calendar .grid .block.pending').count()).toBe(2);

    const approver = await sys.newPage({ width: 1366, height: 768 });
    await openBroadcasts(approver, 'chu-tich');
    await approver.getByRole('tab', { name: /Chờ phê duyệt/ }).click();
    const item = approver.locator('xs-approval-queue li', { hasText: 'Họp dân cuối tuần' });
    await item.waitFor();
    await expect.poll(() => item.textContent()).toContain('op-phuoc-vinh');
    await expect.poll(() => item.textContent()).toContain('Hằng tuần (Thứ Bảy, Chủ Nhật) lúc 19:30');
    await sys.screenshot(approver, 'console-approvals');
    await item.getByLabel('Ý kiến / lý do').fill('Đồng ý, nhắc bà con mang theo giấy tờ.');
    await approver.getByRole('button', { name: 'Duyệt “Họp dân cuối tuần”' }).click();
    await approver.getByText('Đã duyệt “Họp dân cuối tuần”.').waitFor();
    const list = await sys.admin.get<{
      schedules: { title: string; status: string; createdBy: string; approvedBy: string | null }[];
    }>('/api/schedules');
    expect(list.body.schedules.find((s) => s.title === 'Họp dân cuối tuần')).toMatchObject({
      status: 'active',
      createdBy: 'op-phuoc-vinh',
      approvedBy: 'chu-tich',
    });
  }, 90_000);

  it('an emergency from the UI, confirmed by typing the area name, reaches all 6 clusters and the panel shows 6/6', async () => {
    const page = await sys.newPage({ width: 1366, height: 768 });
    await sys.signIn(page, 'chu-tich');
    await page.getByRole('link', { name: 'Phát khẩn cấp' }).click();
    await page.getByRole('checkbox', { name: /^Tỉnh Tây Ninh/ }).check();
    await page
      .getByLabel('Nội dung sẽ được đọc')
      .fill('Cảnh báo lũ quét. Bà con ven sông di chuyển lên chỗ cao ngay.');
    await page.getByRole('button', { name: 'Tiếp tục: xác nhận' }).click();
    await page.getByText('Cảnh báo này sẽ ghi đè MỌI nội dung đang phát trên 6 cụm loa tại:').waitFor();
    const send = page.getByRole('button', { name: 'PHÁT KHẨN CẤP trên 6 cụm loa' });
    expect(await send.isDisabled()).toBe(true);
    await page.getByLabel(/Để xác nhận, gõ tên khu vực/).fill('Tinh Tay Ninh');
    expect(await send.isDisabled()).toBe(true);
    await page.getByLabel(/Để xác nhận, gõ tên khu vực/).fill('tỉnh tây ninh');
    await sys.screenshot(page, 'console-emergency');
    await send.click();
    const delivered = page.locator('xs-delivery-panel [data-count=delivered] dd');
    await expect.poll(() => delivered.textContent(), { timeout: 30_000 }).toBe('6/6');
    await expect.poll(() => page.locator('xs-delivery-panel ol.answered li').count()).toBe(6);
    await sys.screenshot(page, 'console-emergency-live');
    const sent = await sys.admin.get<{ broadcasts: { id: string; priority: string; createdBy: string }[] }>(
      '/api/broadcasts',
    );
    const emergency = sent.body.broadcasts.find((b) => b.priority === 'emergency');
    expect(emergency?.createdBy).toBe('chu-tich');
    const delivery = await sys.admin.get<{ answered: number; expected: number }>(
      `/api/broadcasts/${emergency?.id}/delivery`,
    );
    expect(delivery.body).toMatchObject({ answered: 6, expected: 6 });
    await page.getByRole('button', { name: 'Dừng phát' }).click();
    await page.getByText('Đã gửi lệnh dừng tới các cụm loa.').waitFor();

    const phone = await sys.newPage(PHONE);
    await sys.signIn(phone, 'chu-tich');
    await phone.goto(`${sys.url}/#/emergency`);
    await phone.getByRole('checkbox', { name: /^Xã Tân Biên/ }).check();
    await phone.getByLabel('Nội dung sẽ được đọc').fill('Cảnh báo cháy rừng. Không đốt lửa trong rừng.');
    await phone.getByRole('button', { name: 'Tiếp tục: xác nhận' }).click();
    await phone.getByText(/trên 3 cụm loa tại/).waitFor();
    await sys.screenshot(phone, 'console-emergency-phone');
  }, 120_000);
});
