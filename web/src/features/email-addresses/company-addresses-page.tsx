import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../shared/ui/page-header';
import { ExternalAddressList } from './external-address-list';

/** Account management → Email → Outgoing messages → Company external email addresses (M5). */
export function CompanyAddressesPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t('addresses.company.title')}
        description={t('addresses.company.description')}
        breadcrumbs={[
          { label: t('nav.accountManagement'), to: '/employees' },
          { label: t('nav.email'), to: '/email/company-addresses' },
          { label: t('nav.outgoingMessages'), to: '/email/company-addresses' },
          { label: t('addresses.company.title') },
        ]}
      />
      <ExternalAddressList scope="company" />
    </>
  );
}
