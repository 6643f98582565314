/**
 * Times shown to people, everywhere the server shows one (the table, the CSV, the documents): Vietnam's time,
 * dd/mm/yyyy HH:mm. One definition, the verification core's, which words the findings' times the same way.
 */
export { vietnamDateTime, vietnamDay, vietnamIsoDate } from '../../worker/text/local-time';
