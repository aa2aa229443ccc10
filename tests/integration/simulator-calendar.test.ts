/**
 * Calendar on the simulator driven by unmodified ews-javascript-api: appointments and meetings (requests in the
 * attendees' Inbox, tentative copies in their Calendar, external attendees in the outbound log), all-day events,
 * updates with invitations, deletes with cancellations, and CalendarView expansion of a weekly series across the
 * March DST change in Europe/Berlin. Responses validated against messages.xsd.
 */
import * as ews from 'ews-javascript-api';
import { bypassProxyForLocalhost, createEwsService } from '../helpers/simulator-ews-client';
import { rejection, useSimulatorSession } from '../helpers/simulator-session';
import { expectValidEwsResponses } from '../helpers/simulator-ews-schema';
import { basicAuth, postSoap, soapEnvelope } from '../helpers/simulator-raw-soap';

bypassProxyForLocalhost();

const ORGANIZER = 'organizer@sim.test';
const ALICE = 'alice@sim.test';
const BOB = 'bob@sim.test';

const session = useSimulatorSession([ORGANIZER, ALICE, BOB]);

function berlin(): ews.TimeZoneInfo {
  return ews.TimeZoneInfo.FindSystemTimeZoneById('W. Europe Standard Time');
}

async function asUser<T>(address: string, fn: (service: ews.ExchangeService) => Promise<T>): Promise<T> {
  const client = createEwsService(session.sim.ewsUrl, { user: address, password: 'simulator' });
  try {
    return await fn(client.service);
  } finally {
    await expectValidEwsResponses(client.responses.map((r) => r.body));
  }
}

async function findAll(service: ews.ExchangeService, folder: ews.WellKnownFolderName): Promise<ews.Item[]> {
  const result = await service.FindItems(folder, new ews.ItemView(100));
  return result.Items;
}

async function meeting(subject: string): Promise<ews.Appointment> {
  const appt = new ews.Appointment(session.client.service);
  appt.Subject = subject;
  appt.Body = new ews.MessageBody(ews.BodyType.Text, 'Agenda');
  appt.Start = new ews.DateTime('2026-06-10T08:00:00Z');
  appt.End = new ews.DateTime('2026-06-10T09:00:00Z');
  appt.Location = 'Room 1';
  appt.RequiredAttendees.Add(ALICE);
  appt.OptionalAttendees.Add(BOB);
  appt.RequiredAttendees.Add('guest@external.example');
  await appt.Save(ews.SendInvitationsMode.SendToAllAndSaveCopy);
  return appt;
}

test('a meeting delivers requests to attendee mailboxes, tentative copies to their calendars, and logs external attendees', async () => {
  const appt = await meeting('Planning');
  const mine = await ews.Appointment.Bind(session.client.service, appt.Id);
  expect(mine.Subject).toBe('Planning');
  expect(mine.Location).toBe('Room 1');
  expect(mine.IsMeeting).toBe(true);
  expect(mine.MyResponseType).toBe(ews.MeetingResponseType.Organizer);
  expect(mine.Start.ToISOString()).toBe('2026-06-10T08:00:00.000Z');
  expect(mine.RequiredAttendees.GetEnumerator().map((a) => a.Address)).toEqual([
    ALICE,
    'guest@external.example',
  ]);

  for (const attendee of [ALICE, BOB]) {
    await asUser(attendee, async (service) => {
      const inbox = await findAll(service, ews.WellKnownFolderName.Inbox);
      expect(inbox).toHaveLength(1);
      expect(inbox[0]).toBeInstanceOf(ews.MeetingRequest);
      const request = await ews.MeetingRequest.Bind(service, inbox[0].Id);
      expect(request.ItemClass).toBe('IPM.Schedule.Meeting.Request');
      expect(request.Subject).toBe('Planning');
      const calendar = await findAll(service, ews.WellKnownFolderName.Calendar);
      expect(calendar).toHaveLength(1);
      const copy = await ews.Appointment.Bind(service, calendar[0].Id);
      expect(copy.LegacyFreeBusyStatus).toBe(ews.LegacyFreeBusyStatus.Tentative);
      expect(copy.MyResponseType).toBe(ews.MeetingResponseType.NoResponseReceived);
      expect(copy.Start.ToISOString()).toBe('2026-06-10T08:00:00.000Z');
      expect(copy.Organizer.Address).toBe(ORGANIZER);
    });
  }
  const sent = await findAll(session.client.service, ews.WellKnownFolderName.SentItems);
  expect(sent).toHaveLength(1);
  const outbound = (await (await fetch(`${session.sim.url}/_sim/outbound`)).json()) as Array<{
    to: string[];
  }>;
  expect(outbound).toEqual([expect.objectContaining({ to: ['guest@external.example'] })]);
});

test('CalendarView expands a weekly series at 09:00 Berlin time across the March DST change; occurrences can be read', async () => {
  const appt = new ews.Appointment(session.client.service);
  appt.Subject = 'Weekly sync';
  appt.StartTimeZone = berlin();
  appt.EndTimeZone = berlin();
  appt.Start = new ews.DateTime('2026-03-16T08:00:00Z'); // Monday 09:00 CET
  appt.End = new ews.DateTime('2026-03-16T08:30:00Z');
  const weekly = new ews.Recurrence.WeeklyPattern();
  weekly.StartDate = new ews.DateTime('2026-03-16T08:00:00Z');
  weekly.Interval = 1;
  weekly.DaysOfTheWeek.Add(ews.DayOfTheWeek.Monday);
  weekly.NumberOfOccurrences = 4;
  appt.Recurrence = weekly;
  await appt.Save(ews.SendInvitationsMode.SendToNone);

  const view = new ews.CalendarView(
    new ews.DateTime('2026-03-01T00:00:00Z'),
    new ews.DateTime('2026-05-01T00:00:00Z'),
  );
  const found = await session.client.service.FindAppointments(ews.WellKnownFolderName.Calendar, view);
  const starts = found.Items.map((a) => a.Start.ToISOString());
  // 16 and 23 March at 09:00 CET (08:00Z); 30 March and 6 April at 09:00 CEST (07:00Z).
  expect(starts).toEqual([
    '2026-03-16T08:00:00.000Z',
    '2026-03-23T08:00:00.000Z',
    '2026-03-30T07:00:00.000Z',
    '2026-04-06T07:00:00.000Z',
  ]);
  expect(found.Items.map((a) => a.AppointmentType)).toEqual(Array(4).fill(ews.AppointmentType.Occurrence));
  expect(new Set(found.Items.map((a) => a.Id.UniqueId)).size).toBe(4);

  const third = await ews.Appointment.Bind(session.client.service, found.Items[2].Id);
  expect(third.Subject).toBe('Weekly sync');
  expect(third.Start.ToISOString()).toBe('2026-03-30T07:00:00.000Z');
  expect(third.End.ToISOString()).toBe('2026-03-30T07:30:00.000Z');

  const master = await ews.Appointment.Bind(session.client.service, appt.Id);
  expect(master.AppointmentType).toBe(ews.AppointmentType.RecurringMaster);

  const narrow = new ews.CalendarView(
    new ews.DateTime('2026-03-29T00:00:00Z'),
    new ews.DateTime('2026-04-30T00:00:00Z'),
    1,
  );
  const first = await session.client.service.FindAppointments(ews.WellKnownFolderName.Calendar, narrow);
  expect(first.Items.map((a) => a.Start.ToISOString())).toEqual(['2026-03-30T07:00:00.000Z']);
  expect(first.MoreAvailable).toBe(true);
});

test('an all-day event keeps its flag and shows up in the days it covers', async () => {
  const appt = new ews.Appointment(session.client.service);
  appt.Subject = 'Offsite';
  appt.IsAllDayEvent = true;
  appt.Start = new ews.DateTime('2026-07-01T00:00:00Z');
  appt.End = new ews.DateTime('2026-07-02T00:00:00Z');
  appt.LegacyFreeBusyStatus = ews.LegacyFreeBusyStatus.OOF;
  await appt.Save(ews.WellKnownFolderName.Calendar, ews.SendInvitationsMode.SendToNone);

  const loaded = await ews.Appointment.Bind(session.client.service, appt.Id);
  expect(loaded.IsAllDayEvent).toBe(true);
  expect(loaded.IsMeeting).toBe(false);
  expect(loaded.LegacyFreeBusyStatus).toBe(ews.LegacyFreeBusyStatus.OOF);
  const inView = await session.client.service.FindAppointments(
    ews.WellKnownFolderName.Calendar,
    new ews.CalendarView(new ews.DateTime('2026-07-01T10:00:00Z'), new ews.DateTime('2026-07-01T11:00:00Z')),
  );
  expect(inView.Items.map((a) => a.Subject)).toEqual(['Offsite']);
  const outOfView = await session.client.service.FindAppointments(
    ews.WellKnownFolderName.Calendar,
    new ews.CalendarView(new ews.DateTime('2026-07-02T00:00:00Z'), new ews.DateTime('2026-07-03T00:00:00Z')),
  );
  expect(outOfView.Items).toHaveLength(0);
});

test('updating a meeting with SendToAllAndSaveCopy sends updates and moves the attendees’ copies', async () => {
  const appt = await meeting('Review');
  appt.Start = new ews.DateTime('2026-06-11T12:00:00Z');
  appt.End = new ews.DateTime('2026-06-11T13:00:00Z');
  appt.Location = 'Room 2';
  await appt.Update(
    ews.ConflictResolutionMode.AutoResolve,
    ews.SendInvitationsOrCancellationsMode.SendToAllAndSaveCopy,
  );

  const mine = await ews.Appointment.Bind(session.client.service, appt.Id);
  expect(mine.Location).toBe('Room 2');
  expect(mine.AppointmentSequenceNumber).toBe(1);
  await asUser(ALICE, async (service) => {
    const inbox = await findAll(service, ews.WellKnownFolderName.Inbox);
    expect(inbox).toHaveLength(2);
    expect(inbox.every((i) => i instanceof ews.MeetingRequest)).toBe(true);
    const calendar = await findAll(service, ews.WellKnownFolderName.Calendar);
    expect(calendar).toHaveLength(1);
    const copy = await ews.Appointment.Bind(service, calendar[0].Id);
    expect(copy.Start.ToISOString()).toBe('2026-06-11T12:00:00.000Z');
    expect(copy.Location).toBe('Room 2');
  });
  const sent = await findAll(session.client.service, ews.WellKnownFolderName.SentItems);
  expect(sent).toHaveLength(2);
});

test('deleting a meeting with SendToAllAndSaveCopy delivers cancellations and cancels the attendees’ copies', async () => {
  const appt = await meeting('Retro');
  await appt.Delete(ews.DeleteMode.MoveToDeletedItems, ews.SendCancellationsMode.SendToAllAndSaveCopy);

  expect(await findAll(session.client.service, ews.WellKnownFolderName.Calendar)).toHaveLength(0);
  await asUser(BOB, async (service) => {
    const inbox = await findAll(service, ews.WellKnownFolderName.Inbox);
    const cancellation = inbox.find((i) => i instanceof ews.MeetingCancellation);
    expect(cancellation).toBeDefined();
    const loaded = await ews.MeetingCancellation.Bind(service, (cancellation as ews.Item).Id);
    expect(loaded.ItemClass).toBe('IPM.Schedule.Meeting.Canceled');
    expect(loaded.Subject).toBe('Canceled: Retro');
    const [copy] = await findAll(service, ews.WellKnownFolderName.Calendar);
    const appointment = await ews.Appointment.Bind(service, copy.Id);
    expect(appointment.IsCancelled).toBe(true);
  });
  const outbound = (await (await fetch(`${session.sim.url}/_sim/outbound`)).json()) as Array<{
    subject: string;
  }>;
  expect(outbound.map((o) => o.subject)).toEqual(['Retro', 'Canceled: Retro']);
});

test('an appointment that ends before it starts is refused with ErrorCalendarEndDateIsEarlierThanStartDate', async () => {
  const appt = new ews.Appointment(session.client.service);
  appt.Subject = 'Solo';
  appt.Start = new ews.DateTime('2026-06-12T08:00:00Z');
  appt.End = new ews.DateTime('2026-06-12T07:00:00Z');
  const err = await rejection<{ ErrorCode: number }>(appt.Save(ews.SendInvitationsMode.SendToNone));
  expect(err.ErrorCode).toBe(ews.ServiceError.ErrorCalendarEndDateIsEarlierThanStartDate);
});

test('an appointment in a custom calendar folder keeps its fields, reminder and extended properties', async () => {
  const prop = new ews.ExtendedPropertyDefinition(
    new ews.Guid('c11ff724-aa03-4555-9952-8fa248a11c3e'),
    'RcJobId',
    ews.MapiPropertyType.String,
  );
  const folder = new ews.CalendarFolder(session.client.service);
  folder.DisplayName = 'Team calendar';
  await folder.Save(ews.WellKnownFolderName.Calendar);

  const appt = new ews.Appointment(session.client.service);
  appt.Subject = 'Dentist';
  appt.Body = new ews.MessageBody(ews.BodyType.Text, 'Bring card');
  appt.StartTimeZone = berlin();
  appt.Start = new ews.DateTime('2026-09-01T13:00:00Z');
  appt.End = new ews.DateTime('2026-09-01T14:00:00Z');
  appt.Sensitivity = ews.Sensitivity.Private;
  appt.LegacyFreeBusyStatus = ews.LegacyFreeBusyStatus.Busy;
  appt.ReminderMinutesBeforeStart = 30;
  appt.Categories.Add('Health');
  appt.SetExtendedProperty(prop, 'job-7');
  await appt.Save(folder.Id, ews.SendInvitationsMode.SendToNone);

  const loaded = await ews.Appointment.Bind(
    session.client.service,
    appt.Id,
    new ews.PropertySet(ews.BasePropertySet.FirstClassProperties, [prop]),
  );
  expect(loaded.ParentFolderId.UniqueId).toBe(folder.Id.UniqueId);
  expect(loaded.Subject).toBe('Dentist');
  expect(loaded.Sensitivity).toBe(ews.Sensitivity.Private);
  expect(loaded.ReminderMinutesBeforeStart).toBe(30);
  expect(loaded.IsReminderSet).toBe(true);
  expect(loaded.Categories.GetEnumerator()).toEqual(['Health']);
  expect(loaded.AppointmentType).toBe(ews.AppointmentType.Single);
  expect(loaded.IsMeeting).toBe(false);
  const out: { outValue: unknown } = { outValue: null };
  expect(loaded.TryGetProperty(prop, out)).toBe(true);
  expect(out.outValue).toBe('job-7');

  const items = (await (
    await fetch(`${session.sim.url}/_sim/mailboxes/${ORGANIZER}/items?folder=calendar`)
  ).json()) as unknown[];
  expect(items).toHaveLength(0);
  const inView = await session.client.service.FindAppointments(
    folder.Id,
    new ews.CalendarView(new ews.DateTime('2026-09-01T00:00:00Z'), new ews.DateTime('2026-09-02T00:00:00Z')),
  );
  expect(inView.Items.map((a) => a.Subject)).toEqual(['Dentist']);
});

test('an app saving a meeting into another mailbox’s calendar makes that mailbox the organizer', async () => {
  const res = await fetch(`${session.sim.url}/tenant-1/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'rc-exchange',
      client_secret: 'simulator',
      scope: 'https://outlook.office365.com/.default',
    }).toString(),
  });
  const { access_token: token } = (await res.json()) as { access_token: string };
  const app = createEwsService(session.sim.ewsUrl, { token }, ORGANIZER);
  try {
    const appt = new ews.Appointment(app.service);
    appt.Subject = 'Delegated';
    appt.Start = new ews.DateTime('2026-06-15T08:00:00Z');
    appt.End = new ews.DateTime('2026-06-15T09:00:00Z');
    appt.RequiredAttendees.Add(BOB);
    await appt.Save(
      new ews.FolderId(ews.WellKnownFolderName.Calendar, new ews.Mailbox(ALICE)),
      ews.SendInvitationsMode.SendOnlyToAll,
    );
  } finally {
    await expectValidEwsResponses(app.responses.map((r) => r.body));
  }
  await asUser(ALICE, async (service) => {
    const [item] = await findAll(service, ews.WellKnownFolderName.Calendar);
    const appt = await ews.Appointment.Bind(service, item.Id);
    expect(appt.Organizer.Address).toBe(ALICE);
    expect(appt.MyResponseType).toBe(ews.MeetingResponseType.Organizer);
    expect(await findAll(service, ews.WellKnownFolderName.SentItems)).toHaveLength(0);
  });
  await asUser(BOB, async (service) => {
    const [request] = await findAll(service, ews.WellKnownFolderName.Inbox);
    const loaded = await ews.MeetingRequest.Bind(service, request.Id);
    expect(loaded.From.Address).toBe(ALICE);
  });
  expect(await findAll(session.client.service, ews.WellKnownFolderName.Calendar)).toHaveLength(0);
});

async function rawEws(body: string): Promise<string> {
  const { status, text } = await postSoap(session.sim.ewsUrl, soapEnvelope(body), basicAuth(ORGANIZER));
  expect(status === 200 ? 200 : text).toBe(200);
  await expectValidEwsResponses([text]);
  return text;
}

const DOC_ITEM =
  '<t:CalendarItem><t:Subject>Planning Meeting</t:Subject>' +
  '<t:Body BodyType="Text">Plan the agenda for next week&apos;s meeting.</t:Body>' +
  '<t:ReminderIsSet>true</t:ReminderIsSet><t:ReminderMinutesBeforeStart>60</t:ReminderMinutesBeforeStart>' +
  '<t:Start>2006-11-02T14:00:00</t:Start><t:End>2006-11-02T15:00:00</t:End>' +
  '<t:IsAllDayEvent>false</t:IsAllDayEvent><t:LegacyFreeBusyStatus>Busy</t:LegacyFreeBusyStatus>' +
  '<t:Location>Conference Room 721</t:Location><t:RequiredAttendees>' +
  `<t:Attendee><t:Mailbox><t:EmailAddress>${ALICE}</t:EmailAddress></t:Mailbox></t:Attendee>` +
  `<t:Attendee><t:Mailbox><t:EmailAddress>${BOB}</t:EmailAddress></t:Mailbox></t:Attendee>` +
  '</t:RequiredAttendees></t:CalendarItem>';

test('the CreateItem (calendar item) example from the EWS docs; without SendMeetingInvitations Exchange refuses', async () => {
  const refused = await rawEws(
    `<m:CreateItem><m:SavedItemFolderId><t:DistinguishedFolderId Id="calendar"/></m:SavedItemFolderId><m:Items>${DOC_ITEM}</m:Items></m:CreateItem>`,
  );
  expect(refused).toContain('<m:ResponseCode>ErrorSendMeetingInvitationsRequired</m:ResponseCode>');

  const created = await rawEws(
    '<m:CreateItem SendMeetingInvitations="SendToAllAndSaveCopy"><m:SavedItemFolderId>' +
      `<t:DistinguishedFolderId Id="calendar"/></m:SavedItemFolderId><m:Items>${DOC_ITEM}</m:Items></m:CreateItem>`,
  );
  const id = /<t:CalendarItem><t:ItemId Id="([^"]+)" ChangeKey="[^"]+"\/><\/t:CalendarItem>/.exec(
    created,
  )?.[1];
  expect(id).toBeDefined();
  const got = await rawEws(
    '<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape>' +
      `<m:ItemIds><t:ItemId Id="${id}"/></m:ItemIds></m:GetItem>`,
  );
  expect(got).toContain('<t:ReminderMinutesBeforeStart>60</t:ReminderMinutesBeforeStart>');
  expect(got).toContain('<t:Start>2006-11-02T14:00:00Z</t:Start>');
  expect(got).toContain('<t:MyResponseType>Organizer</t:MyResponseType>');
  expect(got).toContain('<t:CalendarItemType>Single</t:CalendarItemType>');
  for (const attendee of [ALICE, BOB]) {
    const inbox = (await (
      await fetch(`${session.sim.url}/_sim/mailboxes/${attendee}/items?folder=inbox`)
    ).json()) as Array<{ itemClass: string; subject: string }>;
    expect(inbox).toEqual([
      expect.objectContaining({ itemClass: 'IPM.Schedule.Meeting.Request', subject: 'Planning Meeting' }),
    ]);
  }
});

test('MeetingTimeZone and a relative monthly recurrence from a raw request expand in that zone', async () => {
  const created = await rawEws(
    '<m:CreateItem SendMeetingInvitations="SendToNone"><m:Items><t:CalendarItem><t:Subject>Board</t:Subject>' +
      '<t:Start>2026-01-13T15:00:00-05:00</t:Start><t:End>2026-01-13T16:00:00-05:00</t:End>' +
      '<t:Recurrence><t:RelativeMonthlyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Tuesday</t:DaysOfWeek>' +
      '<t:DayOfWeekIndex>Second</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence>' +
      '<t:NumberedRecurrence><t:StartDate>2026-01-13</t:StartDate><t:NumberOfOccurrences>4</t:NumberOfOccurrences>' +
      '</t:NumberedRecurrence></t:Recurrence>' +
      '<t:MeetingTimeZone TimeZoneName="Eastern Standard Time"/></t:CalendarItem></m:Items></m:CreateItem>',
  );
  expect(created).toContain('ResponseClass="Success"');
  const view = await rawEws(
    '<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>' +
      '<t:FieldURI FieldURI="calendar:Start"/><t:FieldURI FieldURI="calendar:CalendarItemType"/></t:AdditionalProperties>' +
      '</m:ItemShape><m:CalendarView StartDate="2026-01-01T00:00:00Z" EndDate="2026-06-01T00:00:00Z"/>' +
      '<m:ParentFolderIds><t:DistinguishedFolderId Id="calendar"/></m:ParentFolderIds></m:FindItem>',
  );
  // 15:00 New York: EST (20:00Z) in January and February, EDT (19:00Z) from 8 March.
  expect([...view.matchAll(/<t:Start>([^<]+)<\/t:Start>/g)].map((m) => m[1])).toEqual([
    '2026-01-13T20:00:00Z',
    '2026-02-10T20:00:00Z',
    '2026-03-10T19:00:00Z',
    '2026-04-14T19:00:00Z',
  ]);
  expect(view.match(/<t:CalendarItemType>Occurrence<\/t:CalendarItemType>/g)).toHaveLength(4);
});
