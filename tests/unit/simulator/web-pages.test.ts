/** The web view's pages rendered straight from a store: folder tree, kind-specific fields, missing things. */
import { MailboxStore } from '../../../simulator/mailbox-store';
import type { MessageContent } from '../../../simulator/model';
import { folderPage, homePage, itemPage, mailboxPage } from '../../../simulator/web/pages';

const OWNER = 'owner@sim.test';

function content(patch: Partial<MessageContent>): MessageContent {
  return {
    itemClass: 'IPM.Note',
    subject: '',
    body: '',
    bodyType: 'Text',
    importance: 'Normal',
    sensitivity: 'Normal',
    categories: [],
    to: [],
    cc: [],
    bcc: [],
    replyTo: [],
    extendedProperties: [],
    attachments: [],
    isRead: false,
    isReadReceiptRequested: false,
    isDeliveryReceiptRequested: false,
    ...patch,
  };
}

function setup() {
  const store = new MailboxStore('pw');
  const mailbox = store.addMailbox(OWNER);
  return { store, mailbox };
}

test('the home page lists mailboxes with item counts; the mailbox page shows the folder tree', () => {
  const { store, mailbox } = setup();
  const inbox = store.folder(mailbox, 'inbox');
  const custom = store.createFolder(inbox, 'Invoices <2025>', 'IPF.Note');
  store.createItem(custom, content({ subject: 'x' }), { isDraft: false, internetMessageId: '<1@x>' });

  const home = homePage(store).main;
  expect(home).toContain(`href="/mailboxes/owner%40sim.test"`);
  expect(home).toMatch(/<td class="count">1<\/td>/);

  const page = mailboxPage(store, OWNER).main;
  expect(page).toContain('Invoices &lt;2025&gt;');
  expect(page).not.toContain('Top of Information Store');
  // The custom folder sits right under Inbox, one level deeper.
  expect(page.indexOf('Invoices')).toBeGreaterThan(page.indexOf('>Inbox<'));
  expect(page.indexOf('Invoices')).toBeLessThan(page.indexOf('>Sent Items<'));
  expect(page).toContain('padding-left:2.4em');
  expect(mailboxPage(store, 'nobody@sim.test').status).toBe(404);
});

test('a calendar item shows its meeting fields, escaped', () => {
  const { store, mailbox } = setup();
  const item = store.createItem(
    store.folder(mailbox, 'calendar'),
    content({
      kind: 'CalendarItem',
      itemClass: 'IPM.Appointment',
      subject: 'Review <Q3>',
      calendar: {
        start: new Date('2025-03-01T09:00:00Z'),
        end: new Date('2025-03-01T10:00:00Z'),
        isAllDayEvent: false,
        location: 'Room <A> & B',
        organizer: { name: 'Org', address: OWNER },
        requiredAttendees: [{ address: 'a@sim.test' }],
        optionalAttendees: [],
      },
    }),
    { isDraft: false, internetMessageId: '<2@x>' },
  );
  const page = itemPage(store, OWNER, item.id);
  expect(page.status).toBe(200);
  expect(page.main).toContain('<h2>Meeting</h2>');
  expect(page.main).toContain('2025-03-01 09:00:00 UTC');
  expect(page.main).toContain('Room &lt;A&gt; &amp; B');
  expect(page.main).toContain('Org &lt;owner@sim.test&gt;');
  expect(page.main).toContain('<dt>Required attendees</dt><dd>a@sim.test</dd>');
  expect(page.main).not.toContain('<dt>Optional attendees</dt>');
});

test('an item is only shown under its own mailbox; a folder only under its own mailbox', () => {
  const { store, mailbox } = setup();
  store.addMailbox('other@sim.test');
  const inbox = store.folder(mailbox, 'inbox');
  const item = store.createItem(inbox, content({ subject: 's' }), {
    isDraft: false,
    internetMessageId: '<3@x>',
  });
  expect(itemPage(store, 'other@sim.test', item.id).status).toBe(404);
  expect(itemPage(store, OWNER, 'AAMkbm9wZQ==').status).toBe(404);
  expect(folderPage(store, 'other@sim.test', inbox.id).status).toBe(404);
  expect(folderPage(store, OWNER, inbox.id).main).toContain(
    `href="/mailboxes/owner%40sim.test/items/${encodeURIComponent(item.id)}">s</a>`,
  );
});
